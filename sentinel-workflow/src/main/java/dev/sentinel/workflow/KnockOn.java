package dev.sentinel.workflow;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.verify.Verifier;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Holds an incident back while another service's problem, which began earlier and is being worked,
 * may be its cause: when {@code cache} slows down, {@code api}, which calls it, slows down a second
 * later, and scaling {@code api} out fixes nothing. Sentinel waits for the earlier incident (up to
 * {@link #MAX_DEFERRALS} times {@link #DEFER_MILLIS}); if this one clears with it, it ends as
 * recovered by itself, and if it does not, it is worked after all.
 *
 * <p>"Began" is the first anomaly of the group in the last {@link #LOOK_BACK_MILLIS}, so a reopened
 * incident counts from its new problem, not from when it first opened.
 */
final class KnockOn {

  static final long DEFER_MILLIS = 30_000;
  static final int MAX_DEFERRALS = 4;
  private static final long LOOK_BACK_MILLIS = 5 * 60_000L;

  /**
   * The other problem must have begun at least this much earlier to count as the first mover, and
   * at most {@link #MAX_LEAD_MILLIS}: a knock-on effect follows its cause within seconds, and an
   * unrelated older incident must not hold every later one back.
   */
  private static final long LEAD_MILLIS = 1000;

  private static final long MAX_LEAD_MILLIS = 60_000;

  private final Casework work;
  private final AnomalyLog anomalies;

  KnockOn(Casework work, AnomalyLog anomalies) {
    this.work = work;
    this.anomalies = anomalies;
  }

  /** Thrown from a node to try the case again later; the runner parks it until then. */
  static final class Deferral extends RuntimeException {
    final long untilMillis;

    Deferral(long untilMillis, String reason) {
      super(reason, null, false, false);
      this.untilMillis = untilMillis;
    }
  }

  /** Throws a {@link Deferral} when an earlier problem elsewhere may explain this incident. */
  void deferIfDownstream(Incident incident) {
    long now = work.now();
    OptionalLong began = began(incident, now);
    if (began.isEmpty() || deferrals(incident, began.getAsLong()) >= MAX_DEFERRALS) {
      return;
    }
    Optional<String> earlier = earlierProblem(incident, began.getAsLong(), now);
    if (earlier.isEmpty()) {
      return;
    }
    String reason =
        "waiting: "
            + earlier.get()
            + "; this incident may be its knock-on effect, so it is worked"
            + " only if it outlasts that one";
    work.record(incident.id(), "deferred", "sentinel", null, reason, java.util.Map.of());
    throw new Deferral(now + DEFER_MILLIS, reason);
  }

  private OptionalLong began(Incident incident, long now) {
    return anomalies.recent(now - LOOK_BACK_MILLIS, Verifier.belongsTo(incident), 10_000).stream()
        .mapToLong(Anomaly::timestampMillis)
        .min();
  }

  private long deferrals(Incident incident, long since) {
    return work.incidents.timeline(incident.id(), 10_000).stream()
        .filter(event -> event.kind().equals("deferred") && event.atMillis() >= since)
        .count();
  }

  private Optional<String> earlierProblem(Incident incident, long began, long now) {
    IncidentFilter worked =
        new IncidentFilter(
            EnumSet.of(
                IncidentStatus.OPEN, IncidentStatus.REMEDIATING, IncidentStatus.AWAITING_APPROVAL),
            null,
            null,
            null,
            null);
    for (Incident other : work.incidents.list(worked, 100)) {
      if (other.id().equals(incident.id()) || other.groupKey().equals(incident.groupKey())) {
        continue;
      }
      OptionalLong otherBegan = began(other, now);
      long lead = otherBegan.isPresent() ? began - otherBegan.getAsLong() : -1;
      if (lead >= LEAD_MILLIS && lead <= MAX_LEAD_MILLIS) {
        return Optional.of(
            "incident "
                + other.id()
                + " ("
                + (other.service() == null ? other.groupKey() : other.service())
                + ") began "
                + lead / 1000
                + " s earlier");
      }
    }
    return Optional.empty();
  }
}
