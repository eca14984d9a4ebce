package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an incident changes as anomalies join it and its status moves: pure functions shared by every
 * {@link IncidentStore}, so all stores agree on counts, severity and timestamps.
 */
public final class Incidents {

  private Incidents() {}

  public static Incident opened(
      String id, String groupKey, Map<String, String> groupLabels, Anomaly first) {
    return new Incident(
        id,
        groupKey,
        groupLabels,
        IncidentStatus.OPEN,
        Severity.of(first.score(), first.confidence(), 1),
        first.timestampMillis(),
        first.timestampMillis(),
        0,
        1,
        first.score(),
        first.confidence(),
        Set.of(first.series().text()),
        List.of(first),
        null);
  }

  /** The incident with one more anomaly. */
  public static Incident with(Incident incident, Anomaly anomaly, int maxAnomaliesKept) {
    Set<String> series = new LinkedHashSet<>(incident.series());
    series.add(anomaly.series().text());
    List<Anomaly> kept = incident.anomalies();
    if (kept.size() < maxAnomaliesKept) {
      kept = new ArrayList<>(kept);
      kept.add(anomaly);
    }
    double maxScore = Math.max(incident.maxScore(), anomaly.score());
    double maxConfidence = Math.max(incident.maxConfidence(), anomaly.confidence());
    return new Incident(
        incident.id(),
        incident.groupKey(),
        incident.groupLabels(),
        incident.status(),
        incident.handling().severityPinned()
            ? incident.severity()
            : Severity.of(maxScore, maxConfidence, series.size()),
        incident.openedAtMillis(),
        Math.max(incident.lastAnomalyAtMillis(), anomaly.timestampMillis()),
        incident.resolvedAtMillis(),
        incident.anomalyCount() + 1,
        maxScore,
        maxConfidence,
        series,
        kept,
        incident.resolution(),
        incident.handling());
  }

  /**
   * Whether {@code anomaly} is the resolved {@code incident} flapping: one of its own series out of
   * range again within {@code windowMillis} of the resolution. Then the incident reopens; anything
   * else (a later fault, or another symptom of the group) opens a new incident, so an incident
   * never collects a run of separate faults.
   */
  public static boolean flaps(Incident incident, Anomaly anomaly, long windowMillis) {
    return !incident.status().isOpen()
        && anomaly.timestampMillis() - incident.resolvedAtMillis() <= windowMillis
        && incident.series().contains(anomaly.series().text());
  }

  public static Incident reopened(Incident incident) {
    return moved(incident, IncidentStatus.OPEN, 0, null);
  }

  /** The incident in another status; resolving stamps the time and the resolution. */
  public static Incident moved(
      Incident incident, IncidentStatus to, long atMillis, String resolution) {
    boolean resolved = to == IncidentStatus.RESOLVED;
    return new Incident(
        incident.id(),
        incident.groupKey(),
        incident.groupLabels(),
        to,
        incident.severity(),
        incident.openedAtMillis(),
        incident.lastAnomalyAtMillis(),
        resolved ? atMillis : 0,
        incident.anomalyCount(),
        incident.maxScore(),
        incident.maxConfidence(),
        incident.series(),
        incident.anomalies(),
        resolved ? resolution : (to == IncidentStatus.OPEN ? null : incident.resolution()),
        // Reopened, it is new trouble: paged again and Sentinel's to work again.
        to == IncidentStatus.OPEN ? Handling.NONE : incident.handling());
  }
}
