package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;

/**
 * Told about incident changes, synchronously on the thread that made them: implementations must be
 * quick (hand work on) and must not call back into the correlator.
 */
public interface IncidentListener {
  void opened(Incident incident, Anomaly first);

  default void reopened(Incident incident, Anomaly anomaly) {}

  /** An anomaly joined an open incident; {@code newSeries} when its series is new to it. */
  default void attached(Incident incident, Anomaly anomaly, boolean newSeries) {}

  default void resolved(Incident incident) {}

  /**
   * Semantic deduplication joined a new group to this open incident instead of opening another;
   * called once per group, before {@link #attached} for the same anomaly.
   *
   * @param groupKey the group that would have opened an incident
   * @param similarity the cosine similarity of the two descriptions
   * @param description the new group's description that was compared
   */
  default void deduplicated(
      Incident incident, Anomaly anomaly, String groupKey, double similarity, String description) {}

  /**
   * A firing alert opened, reopened or joined the incident ({@code outcome} says which); not called
   * for a duplicate. Takes the place of {@link #opened}, {@link #reopened} and {@link #attached}
   * for alerts.
   */
  default void alertFiring(Incident incident, Alert alert, Attachment.Outcome outcome) {}

  /** An alert that fired on the incident resolved (before the incident itself may resolve). */
  default void alertResolved(Incident incident, Alert alert) {}
}
