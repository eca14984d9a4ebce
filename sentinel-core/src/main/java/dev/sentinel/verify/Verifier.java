package dev.sentinel.verify;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.Direction;
import dev.sentinel.history.StoredPoint;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TimeRange;
import dev.sentinel.incident.Incident;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches an incident's series after an action and decides whether it recovered. The yardstick is
 * each symptom's expected range as the detectors had it when the incident began — not their current
 * view, which adapts to a lasting problem — read against the series' latest values: back inside for
 * long enough means recovered; worse means the worst symptom moved further out, or one symptom
 * moved further out while none came back, or several healthy series went out of range; otherwise,
 * at the end of the window, unchanged.
 *
 * <p>Symptoms are judged one by one as well as by the worst of them because real metrics saturate:
 * once a queue is full its latency stops growing, so an action that doubles the overload shows in
 * the error rate while the worst symptom, the capped latency, stays where it was.
 *
 * <p>A symptom's latest value is this instance's own when it has a fresh one; in a fleet the
 * instance that runs the workflow need not be the one whose Kafka partitions carry the series, and
 * then the value comes from the shared telemetry store (given one). New anomalies of healthy series
 * are this instance's only.
 *
 * <p>Never waits: {@link #start} takes the symptoms at the action, and each {@link #check} takes
 * one reading and either gives the verdict or says when to read again, with what it must remember
 * ({@link VerifyProgress}). The workflow keeps that progress in the case and parks the case until
 * then, so no thread sleeps while a service recovers.
 */
public final class Verifier {

  private static final Logger log = LoggerFactory.getLogger(Verifier.class);

  /** How far back the store is read for a symptom's latest value. */
  private static final long STORE_LOOKBACK_MILLIS = 60_000;

  /**
   * How often the series are read while no verdict is due. Each reading costs a claim of the case
   * and a checkpoint (a few statements), so once a second: fine enough beside the grace and the
   * quiet time (seconds each) and the at least 3 s a worse reading must last, and at most about 45
   * readings per step at the default 45 s window. The moments a verdict falls due (the end of the
   * grace, of the quiet time, of the worse time, the deadline) are read exactly, not at the next
   * poll.
   */
  static final long POLL_MILLIS = 1000;

  /** The least time a worse reading must last before it counts. */
  private static final long MIN_WORSE_MILLIS = 3000;

  /** What one reading concluded: a verdict, or when to read again and what to remember. */
  public sealed interface Check {

    /** The verification is over. */
    record Done(RecoveryReport report) implements Check {}

    /** No verdict yet: read again at {@code progress.nextAtMillis()}. */
    record Again(VerifyProgress progress) implements Check {}
  }

  private final VerifyConfig config;
  private final AnomalyLog anomalies;
  private final LatestValues latest;
  private final SeriesRegistry registry;
  private final Optional<TelemetryStore> store;
  private final Clock clock;

  /** A verifier that reads latest values from this instance only. */
  public Verifier(
      VerifyConfig config,
      AnomalyLog anomalies,
      LatestValues latest,
      SeriesRegistry registry,
      Clock clock) {
    this(config, anomalies, latest, registry, Optional.empty(), clock);
  }

  /**
   * @param store where a symptom's latest value is read when this instance has no fresh one of its
   *     own; empty for none
   */
  public Verifier(
      VerifyConfig config,
      AnomalyLog anomalies,
      LatestValues latest,
      SeriesRegistry registry,
      Optional<TelemetryStore> store,
      Clock clock) {
    this.config = config;
    this.anomalies = anomalies;
    this.latest = latest;
    this.registry = registry;
    this.store = store;
    this.clock = clock;
  }

  /** Whether the metric measures demand (traffic) rather than health; see {@link VerifyConfig}. */
  public boolean isDemand(String metricName) {
    return config.isDemand(metricName);
  }

  /** Whether every symptom of the incident is back inside its range right now. */
  public boolean backToNormal(Incident incident) {
    Map<String, Symptom> symptoms = symptoms(incident, List.of());
    return !symptoms.isEmpty() && worst(excesses(symptoms, 0)) <= 0;
  }

  /**
   * Begins the verification of an action: takes the incident's symptoms, with the ranges they must
   * return to, and how far out each is now. Call {@link #check} with the result right away for the
   * first reading.
   */
  public VerifyProgress start(Incident incident, long actionAtMillis) {
    Predicate<Anomaly> ours = belongsTo(incident);
    long windowMillis = config.windowSeconds() * 1000;
    List<Anomaly> before =
        anomalies.recent(
            actionAtMillis - windowMillis,
            a -> ours.test(a) && a.timestampMillis() < actionAtMillis,
            10_000);
    Map<String, Symptom> symptoms = symptoms(incident, before);
    return new VerifyProgress(
        actionAtMillis,
        actionAtMillis + config.graceSeconds() * 1000,
        actionAtMillis + windowMillis,
        symptoms,
        excesses(symptoms, 0),
        before.size(),
        -1,
        -1,
        clock.millis());
  }

  /**
   * Takes one reading of the incident's series and judges it with what earlier readings left in
   * {@code progress}: a verdict, or when to read again. Never waits.
   */
  public Check check(Incident incident, VerifyProgress progress) {
    Predicate<Anomaly> ours = belongsTo(incident);
    Map<String, Symptom> symptoms = progress.symptoms();
    Map<String, Double> eachAtAction = progress.atAction();
    double atAction = worst(eachAtAction);
    long graceEnd = progress.graceEndMillis();
    long deadline = progress.deadlineMillis();
    long worseFor = Math.max(MIN_WORSE_MILLIS, config.quietSeconds() * 500);
    long quietFor = config.quietSeconds() * 1000;
    int before = progress.anomaliesBefore();
    long now = clock.millis();
    // One reading of each symptom (from the store, when it is another instance's).
    Map<String, Double> each = excesses(symptoms, graceEnd);
    double excess = worst(each);
    List<Anomaly> after = anomalies.recent(graceEnd, ours, 10_000);
    long spread = newlyRising(symptoms, after);
    String worsened = now >= graceEnd ? worsenedAlone(eachAtAction, each) : null;
    boolean looksWorse =
        now >= graceEnd && (spread >= 2 || worse(atAction, excess) || worsened != null);
    // Worse must last: a restart's own brief blip is not the action failing.
    long worseSince =
        looksWorse ? (progress.worseSinceMillis() < 0 ? now : progress.worseSinceMillis()) : -1;
    if (looksWorse && now - worseSince >= worseFor) {
      String why;
      if (spread >= 2) {
        why = spread + " series that were fine before rose out of range";
      } else if (worse(atAction, excess)) {
        why =
            "the symptoms went from "
                + round(atAction)
                + " to "
                + round(excess)
                + " range widths outside their expected ranges";
      } else {
        why = worsened;
      }
      return report(
          Recovery.WORSE, before, after, atAction, excess, "worse after the action: " + why);
    }
    boolean normal = now >= graceEnd && excess <= 0;
    long normalSince =
        normal ? (progress.normalSinceMillis() < 0 ? now : progress.normalSinceMillis()) : -1;
    if (normal && now - normalSince >= quietFor) {
      return report(
          Recovery.RECOVERED,
          before,
          after,
          atAction,
          excess,
          "recovered: every symptom has been back in its expected range for "
              + config.quietSeconds()
              + " s");
    }
    if (now >= deadline) {
      return report(
          Recovery.UNCHANGED,
          before,
          after,
          atAction,
          excess,
          "unchanged: "
              + config.windowSeconds()
              + " s after the action the symptoms are still "
              + round(Math.max(excess, 0))
              + " range widths outside their expected ranges");
    }
    // The next poll, or sooner when a verdict may fall due before it.
    long next = Math.min(now + POLL_MILLIS, deadline);
    if (now < graceEnd) {
      next = Math.min(next, graceEnd);
    }
    if (worseSince >= 0) {
      next = Math.min(next, worseSince + worseFor);
    }
    if (normalSince >= 0) {
      next = Math.min(next, normalSince + quietFor);
    }
    return new Check.Again(progress.next(normalSince, worseSince, Math.max(next, now + 1)));
  }

  /**
   * The first symptom that moved {@code worseFactor} times further out of range while no symptom
   * that was out of range at the action came back into it, described; {@code null} when there is
   * none. A symptom already inside its range at the action (an anomaly the likelihood reported for
   * a change inside the band) coming back proves nothing.
   */
  private String worsenedAlone(Map<String, Double> atAction, Map<String, Double> now) {
    if (now.entrySet().stream()
        .anyMatch(
            symptom ->
                symptom.getValue() <= 0 && atAction.getOrDefault(symptom.getKey(), 1.0) > 0)) {
      return null;
    }
    for (Map.Entry<String, Double> symptom : now.entrySet()) {
      Double before = atAction.get(symptom.getKey());
      if (before != null && worse(before, symptom.getValue())) {
        return symptom.getKey()
            + " went from "
            + round(before)
            + " to "
            + round(symptom.getValue())
            + " range widths outside its expected range and no symptom recovered";
      }
    }
    return null;
  }

  /** Each symptom's excess, for those whose latest value is newer than {@code sinceMillis}. */
  private Map<String, Double> excesses(Map<String, Symptom> symptoms, long sinceMillis) {
    Map<String, Double> excesses = new LinkedHashMap<>();
    for (Map.Entry<String, Symptom> entry : symptoms.entrySet()) {
      double value = latestSince(entry.getValue().series(), sinceMillis);
      if (!Double.isNaN(value)) {
        excesses.put(entry.getKey(), entry.getValue().excess(value));
      }
    }
    return excesses;
  }

  /**
   * The series' latest value at or after {@code sinceMillis}: this instance's own, else the store's
   * newest within the last minute; NaN when neither has one.
   */
  private double latestSince(SeriesKey series, long sinceMillis) {
    int id = registry.find(series.text());
    if (id >= 0 && latest.time(id) >= sinceMillis) {
      double own = latest.value(id);
      if (!Double.isNaN(own)) {
        return own;
      }
    }
    long now = clock.millis();
    if (store.isEmpty() || sinceMillis > now) {
      return Double.NaN;
    }
    try {
      List<StoredPoint> points =
          store
              .get()
              .points(
                  series,
                  TimeRange.of(Math.max(sinceMillis, now - STORE_LOOKBACK_MILLIS), now + 1),
                  10_000);
      return points.isEmpty() ? Double.NaN : points.getLast().value();
    } catch (RuntimeException e) {
      log.debug("reading the latest value of {} from the telemetry store failed", series, e);
      return Double.NaN;
    }
  }

  private boolean worse(double atAction, double now) {
    return now > 0 && now >= config.worseFactor() * Math.max(atAction, 0.5);
  }

  /**
   * The incident's symptoms: every series that went out of range, demand series aside, with the
   * range it had when it first did (the oldest anomaly of that series tells the range before the
   * problem).
   */
  private Map<String, Symptom> symptoms(Incident incident, List<Anomaly> before) {
    Map<String, Symptom> symptoms = new LinkedHashMap<>();
    for (List<Anomaly> source : List.of(incident.anomalies(), before)) {
      for (Anomaly anomaly : source) {
        if (config.isDemand(anomaly.series().name())) {
          continue;
        }
        String text = anomaly.series().text();
        if (!symptoms.containsKey(text)) {
          symptoms.put(text, symptom(anomaly));
        }
      }
    }
    return symptoms;
  }

  /**
   * The range a symptom must return to. A point outside its band must come back inside it; a shift
   * the level detector caught while still inside the band (a slow leak) must come back towards the
   * level it shifted from — within the inner three quarters of the band, not merely under its edge.
   * Not to the middle itself: a healthy series (a garbage-collection sawtooth) spends half its time
   * above its middle, and would never count as recovered.
   */
  private static Symptom symptom(Anomaly anomaly) {
    SeriesKey series = anomaly.series();
    double low = anomaly.expectedLow();
    double high = anomaly.expectedHigh();
    double middle = (low + high) / 2;
    boolean inside = anomaly.value() >= low && anomaly.value() <= high;
    if (inside && anomaly.direction() == Direction.UP) {
      return new Symptom(series, Direction.UP, low - (middle - low), middle + (high - middle) / 2);
    }
    if (inside) {
      return new Symptom(
          series, Direction.DOWN, middle - (middle - low) / 2, high + (high - middle));
    }
    return new Symptom(series, anomaly.direction(), low, high);
  }

  /** The worst of the symptoms' excesses; 1 (out of range) when none has a reading. */
  private static double worst(Map<String, Double> excesses) {
    return excesses.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
  }

  private long newlyRising(Map<String, Symptom> symptoms, List<Anomaly> after) {
    return after.stream()
        .filter(a -> a.direction() == Direction.UP && !symptoms.containsKey(a.series().text()))
        .filter(a -> !config.isDemand(a.series().name()))
        .map(a -> a.series().text())
        .distinct()
        .count();
  }

  private static Check report(
      Recovery recovery,
      int before,
      List<Anomaly> after,
      double excessBefore,
      double excessAfter,
      String summary) {
    return new Check.Done(
        new RecoveryReport(recovery, summary, before, after.size(), excessBefore, excessAfter));
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
