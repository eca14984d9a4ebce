package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;

/**
 * Told about incident changes, synchronously, under the correlator's lock: implementations must
 * be quick and must not call back into the correlator.
 */
public interface IncidentListener {
  void opened(Incident incident, Anomaly first);

  default void attached(Incident incident, Anomaly anomaly) {}

  default void resolved(Incident incident) {}
}
