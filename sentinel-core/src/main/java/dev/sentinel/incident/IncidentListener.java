package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;

/**
 * Told about incident changes, synchronously on the thread that made them: implementations must
 * be quick (hand work on) and must not call back into the correlator.
 */
public interface IncidentListener {
  void opened(Incident incident, Anomaly first);

  default void reopened(Incident incident, Anomaly anomaly) {}

  /** An anomaly joined an open incident; {@code newSeries} when its series is new to it. */
  default void attached(Incident incident, Anomaly anomaly, boolean newSeries) {}

  default void resolved(Incident incident) {}
}
