package dev.sentinel.app.http;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyKind;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.incident.Handling;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.workflow.CaseState;
import dev.sentinel.workflow.IncidentControls;
import dev.sentinel.workflow.StepOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
      List<DetectorKind> detectors,
      String kind,
      Double slopePerMinute) {

    /**
     * @param kind {@code point}, {@code shift}, {@code drift} or {@code context}
     * @param slopePerMinute a drift's speed in the metric's unit per minute; absent otherwise
     */
    static AnomalyView of(Anomaly anomaly) {
      return new AnomalyView(
          anomaly.series().text(),
          anomaly.series().name(),
          anomaly.series().labels(),
          Views.time(anomaly.timestampMillis()),
          anomaly.timestampMillis(),
          anomaly.value(),
          new Range(anomaly.expectedLow(), anomaly.expectedHigh()),
          round(anomaly.score()),
          round(anomaly.confidence()),
          anomaly.direction().name().toLowerCase(Locale.ROOT),
          List.copyOf(anomaly.detectors()),
          anomaly.kind().name().toLowerCase(Locale.ROOT),
          anomaly.kind() == AnomalyKind.DRIFT ? anomaly.slopePerMinute() : null);
    }
  }

  record IncidentSummary(
      String id,
      String title,
      String status,
      String severity,
      String service,
      Map<String, String> group,
      String openedAt,
      String lastAnomalyAt,
      String resolvedAt,
      int anomalyCount,
      int seriesCount,
      String resolution,
      String owner,
      String acknowledgedBy,
      String acknowledgedAt,
      String assignee,
      List<String> controls) {

    /**
     * @param owner {@code sentinel} while automation works it, else the person who took it over
     * @param controls what a person may do with it now, as the API's paths name them
     */
    static IncidentSummary of(Incident incident) {
      Handling handling = incident.handling();
      return new IncidentSummary(
          incident.id(),
          title(incident),
          incident.status().code(),
          incident.severity().name().toLowerCase(Locale.ROOT),
          incident.service(),
          incident.groupLabels(),
          Views.time(incident.openedAtMillis()),
          Views.time(incident.lastAnomalyAtMillis()),
          incident.resolvedAtMillis() == 0 ? null : Views.time(incident.resolvedAtMillis()),
          incident.anomalyCount(),
          incident.series().size(),
          incident.resolution(),
          IncidentControls.owner(handling),
          handling.acknowledgedBy(),
          handling.acknowledged() ? Views.time(handling.acknowledgedAtMillis()) : null,
          handling.assignee(),
          IncidentControls.available(incident).stream()
              .map(IncidentControls.Control::path)
              .toList());
    }

    /**
     * One line that says what happened: the metrics that moved and where, {@code error_rate
     * anomalous on checkout}, {@code error_rate and latency_ms anomalous on checkout}. Built from
     * the incident's series alone (metric names, sorted), so the list, which is read without the
     * anomalies, and the incident page say the same.
     */
    static String title(Incident incident) {
      String where =
          incident.service() != null
              ? incident.service()
              : incident.groupLabels().entrySet().stream()
                  .map(label -> label.getKey() + "=" + label.getValue())
                  .reduce((a, b) -> a + ", " + b)
                  .orElse("the fleet");
      List<String> metrics =
          incident.series().stream()
              .map(
                  series ->
                      series.contains("{") ? series.substring(0, series.indexOf('{')) : series)
              .distinct()
              .sorted()
              .toList();
      String what =
          switch (metrics.size()) {
            case 0 -> "anomalies";
            case 1 -> metrics.get(0) + " anomalous";
            case 2 -> metrics.get(0) + " and " + metrics.get(1) + " anomalous";
            default ->
                metrics.get(0)
                    + ", "
                    + metrics.get(1)
                    + " and "
                    + (metrics.size() - 2)
                    + " more anomalous";
          };
      return what + " on " + where;
    }
  }

  record EventView(
      String time, String kind, String actor, String summary, Map<String, String> details) {
    static EventView of(TimelineEvent event) {
      return new EventView(
          Views.time(event.atMillis()),
          event.kind(),
          event.actor(),
          event.summary(),
          event.details());
    }
  }

  /** The workflow's view of the incident: what it concluded, planned, decided and tried. */
  record WorkflowView(
      int run,
      int iteration,
      Object analysis,
      Object plan,
      Object decision,
      Object result,
      Object verification,
      List<StepView> steps,
      List<String> attempts,
      String outcome) {
    static WorkflowView of(CaseState state) {
      return new WorkflowView(
          state.run(),
          state.iteration(),
          state.analysis(),
          state.plan(),
          state.decision(),
          state.result(),
          state.report(),
          state.steps().stream().map(StepView::of).toList(),
          state.attempts(),
          state.outcome());
    }
  }

  /**
   * One step of the plan this round, as the saga left it.
   *
   * @param recovery what the verification after it said, lower case; null when not verified
   * @param rollback {@code verified} or {@code unverified} when it was rolled back, else null
   */
  record StepView(
      int number,
      int of,
      String action,
      String result,
      String summary,
      String recovery,
      String rollback) {
    static StepView of(StepOutcome step) {
      return new StepView(
          step.number(),
          step.of(),
          step.action().describe(),
          step.resultKind(),
          step.result().summary(),
          step.recovery() == null ? null : step.recovery().name().toLowerCase(Locale.ROOT),
          step.rollback() == null ? null : step.restored() ? "verified" : "unverified");
    }
  }

  record IncidentDetail(
      IncidentSummary incident,
      List<String> series,
      List<AnomalyView> anomalies,
      List<EventView> timeline,
      WorkflowView workflow,
      List<SimilarIncident> similar) {

    static IncidentDetail of(
        Incident incident,
        List<TimelineEvent> timeline,
        CaseState workflow,
        List<SimilarIncident> similar) {
      return new IncidentDetail(
          IncidentSummary.of(incident),
          incident.series().stream().sorted().toList(),
          incident.anomalies().stream().map(AnomalyView::of).toList(),
          timeline.stream().map(EventView::of).toList(),
          workflow == null ? null : WorkflowView.of(workflow),
          similar);
    }
  }

  static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
