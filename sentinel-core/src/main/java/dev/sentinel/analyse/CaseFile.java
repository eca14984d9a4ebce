package dev.sentinel.analyse;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.incident.Incident;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything known about an incident when it is analysed: the incident, its recent anomalies, the
 * state of the service it concerns, and what was already tried.
 *
 * @param anomalies the incident's anomalies, oldest first
 * @param targetState the affected service's current state as its executor describes it (replicas,
 *     version, recent changes); empty when unknown
 * @param attempts one line per earlier remediation attempt on this incident, oldest first
 */
public record CaseFile(
    Incident incident,
    List<Anomaly> anomalies,
    Map<String, String> targetState,
    List<String> attempts) {

  public CaseFile {
    Objects.requireNonNull(incident, "incident");
    anomalies = List.copyOf(anomalies);
    targetState = Map.copyOf(targetState);
    attempts = List.copyOf(attempts);
  }
}
