package dev.sentinel.app.http;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.incident.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API, apart from the domain records so that either can change. */
final class Views {

  private Views() {}

  record Range(double low, double high) {}

  record AnomalyView(
      String series,
      String name,
      Map<String, String> labels,
      String time,
      long timestampMillis,
      double value,
      Range expected,
      double score,
      double confidence,
      String direction,
      List<DetectorKind> detectors) {

    static AnomalyView of(Anomaly anomaly) {
      return new AnomalyView(
          anomaly.series().text(),
          anomaly.series().name(),
          anomaly.series().labels(),
          Instant.ofEpochMilli(anomaly.timestampMillis()).toString(),
          anomaly.timestampMillis(),
          anomaly.value(),
          new Range(anomaly.expectedLow(), anomaly.expectedHigh()),
          round(anomaly.score()),
          round(anomaly.confidence()),
          anomaly.direction().name().toLowerCase(java.util.Locale.ROOT),
          List.copyOf(anomaly.detectors()));
    }
  }

  record IncidentSummary(
      String id,
      String status,
      String severity,
      String service,
      Map<String, String> group,
      String openedAt,
      String lastAnomalyAt,
      String resolvedAt,
      int anomalyCount,
      int seriesCount) {

    static IncidentSummary of(Incident incident) {
      return new IncidentSummary(
          incident.id(),
          incident.status().name().toLowerCase(java.util.Locale.ROOT),
          incident.severity().name().toLowerCase(java.util.Locale.ROOT),
          incident.service(),
          incident.groupLabels(),
          time(incident.openedAtMillis()),
          time(incident.lastAnomalyAtMillis()),
          incident.resolvedAtMillis() == 0 ? null : time(incident.resolvedAtMillis()),
          incident.anomalyCount(),
          incident.series().size());
    }
  }

  record IncidentDetail(IncidentSummary incident, List<String> series, List<AnomalyView> timeline) {

    static IncidentDetail of(Incident incident) {
      return new IncidentDetail(
          IncidentSummary.of(incident),
          incident.series().stream().sorted().toList(),
          incident.anomalies().stream().map(AnomalyView::of).toList());
    }
  }

  static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
