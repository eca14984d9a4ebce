package dev.sentinel.verify;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.Incident;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Watches an incident's series after an action and decides whether it recovered, from the
 * detectors' verdicts (points outside their expected range are anomalies) rather than a fixed
 * threshold: quiet for long enough means recovered; anomalies clearly stronger than before, or on
 * series that were fine before, mean worse; otherwise, at the end of the window, unchanged.
 *
 * <p>Blocks the calling workflow thread while it watches (virtual-thread friendly).
 */
public final class Verifier {

  /** Sleeps; a parameter so tests can move a fake clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private static final long POLL_MILLIS = 500;

  private final VerifyConfig config;
  private final AnomalyLog anomalies;
  private final Clock clock;
  private final Sleeper sleeper;

  public Verifier(VerifyConfig config, AnomalyLog anomalies, Clock clock, Sleeper sleeper) {
    this.config = config;
    this.anomalies = anomalies;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public RecoveryReport verify(Incident incident, long actionAtMillis) throws InterruptedException {
    Predicate<Anomaly> ours = belongsTo(incident);
    long windowMillis = config.windowSeconds() * 1000;
    List<Anomaly> before =
        anomalies.recent(
            actionAtMillis - windowMillis,
            a -> ours.test(a) && a.timestampMillis() < actionAtMillis,
            10_000);
    // The symptoms: each series that was out of range before the action, and which way it went.
    Map<String, Direction> symptoms = new HashMap<>();
    for (Anomaly anomaly : before) {
      symptoms.put(anomaly.series().text(), anomaly.direction());
    }
    for (Anomaly kept : incident.anomalies()) {
      symptoms.putIfAbsent(kept.series().text(), kept.direction());
    }
    double worstBefore = before.stream().mapToDouble(Anomaly::score).max().orElse(0);
    long graceEnd = actionAtMillis + config.graceSeconds() * 1000;
    long deadline = actionAtMillis + windowMillis;
    while (true) {
      long now = clock.millis();
      List<Anomaly> after = anomalies.recent(graceEnd, ours, 10_000);
      // Still sick: a symptom persists. A series moving the other way (less CPU after a
      // scale-out) is the cure showing, not a symptom.
      List<Anomaly> persisting =
          after.stream().filter(a -> symptoms.get(a.series().text()) == a.direction()).toList();
      double worstAfter = persisting.stream().mapToDouble(Anomaly::score).max().orElse(0);
      long lastSymptom =
          persisting.stream().mapToLong(Anomaly::timestampMillis).max().orElse(graceEnd);
      if (worse(symptoms, after, worstBefore, worstAfter)) {
        return report(Recovery.WORSE, before, after, worstBefore, worstAfter,
            "worse after the action: " + worseReason(symptoms, after, worstBefore, worstAfter));
      }
      if (now >= graceEnd && now - lastSymptom >= config.quietSeconds() * 1000) {
        return report(Recovery.RECOVERED, before, persisting, worstBefore, worstAfter,
            "recovered: the incident's series stayed in their expected ranges for "
                + config.quietSeconds() + " s after the action");
      }
      if (now >= deadline) {
        return report(Recovery.UNCHANGED, before, persisting, worstBefore, worstAfter,
            "unchanged: still anomalous " + config.windowSeconds() + " s after the action ("
                + persisting.size() + " anomalies, strongest score " + round(worstAfter) + ")");
      }
      sleeper.sleep(Math.min(POLL_MILLIS, Math.max(1, deadline - now)));
    }
  }

  /**
   * Worse means the symptoms grew clearly stronger than before the action, or at least two series
   * that were fine before went out of range upwards (errors, latency, saturation spreading).
   */
  private boolean worse(
      Map<String, Direction> symptoms, List<Anomaly> after, double worstBefore, double worstAfter) {
    if (worstBefore > 0 && worstAfter >= config.worseFactor() * worstBefore) {
      return true;
    }
    return newlyRising(symptoms, after) >= 2;
  }

  private String worseReason(
      Map<String, Direction> symptoms, List<Anomaly> after, double worstBefore, double worstAfter) {
    long spread = newlyRising(symptoms, after);
    return spread >= 2
        ? spread + " series that were fine before the action rose out of range"
        : "the strongest symptom went from score " + round(worstBefore) + " to " + round(worstAfter);
  }

  private static long newlyRising(Map<String, Direction> symptoms, List<Anomaly> after) {
    return after.stream()
        .filter(a -> a.direction() == Direction.UP && !symptoms.containsKey(a.series().text()))
        .map(a -> a.series().text())
        .distinct()
        .count();
  }

  private static RecoveryReport report(
      Recovery recovery,
      List<Anomaly> before,
      List<Anomaly> after,
      double worstBefore,
      double worstAfter,
      String summary) {
    return new RecoveryReport(recovery, summary, before.size(), after.size(), worstBefore, worstAfter);
  }

  /** Anomalies of the incident's group: the same group labels, or its metric when it has none. */
  public static Predicate<Anomaly> belongsTo(Incident incident) {
    Map<String, String> group = incident.groupLabels();
    if (group.isEmpty()) {
      return anomaly -> anomaly.series().name().equals(incident.groupKey());
    }
    return anomaly ->
        group.entrySet().stream()
            .allMatch(label -> label.getValue().equals(anomaly.series().label(label.getKey())));
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
