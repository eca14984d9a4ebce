package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one incident: a group of anomalies that share labels and time.
 *
 * @param resolvedAtMillis when it was resolved, 0 while it is open
 * @param anomalies the first anomalies of the incident, oldest first (capped; see {@code
 *     anomalyCount} for the total)
 * @param resolution how it ended, in words, or {@code null} while open
 * @param handling what people have done with it: acknowledged, assigned, taken over
 */
public record Incident(
    String id,
    String groupKey,
    Map<String, String> groupLabels,
    IncidentStatus status,
    Severity severity,
    long openedAtMillis,
    long lastAnomalyAtMillis,
    long resolvedAtMillis,
    int anomalyCount,
    double maxScore,
    double maxConfidence,
    Set<String> series,
    List<Anomaly> anomalies,
    String resolution,
    Handling handling) {

  /** An incident nobody has handled yet. */
  public Incident(
      String id,
      String groupKey,
      Map<String, String> groupLabels,
      IncidentStatus status,
      Severity severity,
      long openedAtMillis,
      long lastAnomalyAtMillis,
      long resolvedAtMillis,
      int anomalyCount,
      double maxScore,
      double maxConfidence,
      Set<String> series,
      List<Anomaly> anomalies,
      String resolution) {
    this(
        id,
        groupKey,
        groupLabels,
        status,
        severity,
        openedAtMillis,
        lastAnomalyAtMillis,
        resolvedAtMillis,
        anomalyCount,
        maxScore,
        maxConfidence,
        series,
        anomalies,
        resolution,
        Handling.NONE);
  }

  public Incident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(groupKey, "groupKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(severity, "severity");
    groupLabels = Map.copyOf(groupLabels);
    series = Set.copyOf(series);
    anomalies = List.copyOf(anomalies);
    handling = handling == null ? Handling.NONE : handling;
  }

  /** The same incident, handled differently. */
  public Incident with(Handling changed) {
    return new Incident(
        id,
        groupKey,
        groupLabels,
        status,
        severity,
        openedAtMillis,
        lastAnomalyAtMillis,
        resolvedAtMillis,
        anomalyCount,
        maxScore,
        maxConfidence,
        series,
        anomalies,
        resolution,
        changed);
  }

  /** The same incident at another severity, which a human set. */
  public Incident with(Severity changed) {
    return new Incident(
        id,
        groupKey,
        groupLabels,
        status,
        changed,
        openedAtMillis,
        lastAnomalyAtMillis,
        resolvedAtMillis,
        anomalyCount,
        maxScore,
        maxConfidence,
        series,
        anomalies,
        resolution,
        handling.pinSeverity());
  }

  /** The service this incident is about, when its group carries one. */
  public String service() {
    return groupLabels.get("service");
  }
}
