package dev.sentinel.app;

import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.workflow.CaseQueue;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the correlator opens, reopens or grows an incident: the timeline and audit
 * trail record it, the workflow is queued, and the terminal hears about it.
 */
final class IncidentNarrator implements IncidentListener {

  private static final Logger log = LoggerFactory.getLogger("incident");

  private final IncidentStore incidents;
  private final AuditTrail audit;
  private final PipelineMetrics metrics;
  private final CaseQueue cases;
  private final Clock clock;
  private final long settleMillis;

  /**
   * @param cases where incidents are queued for remediation, or null when it is disabled
   * @param settleSeconds how long a new incident gathers evidence before the workflow starts
   */
  IncidentNarrator(
      IncidentStore incidents,
      AuditTrail audit,
      PipelineMetrics metrics,
      CaseQueue cases,
      Clock clock,
      long settleSeconds) {
    this.incidents = incidents;
    this.audit = audit;
    this.metrics = metrics;
    this.cases = cases;
    this.clock = clock;
    this.settleMillis = settleSeconds * 1000;
  }

  @Override
  public void opened(Incident incident, Anomaly first) {
    metrics.incidentsOpened.increment();
    String summary =
        String.format(
            Locale.ROOT,
            "opened for %s: %s = %.4g outside the expected %.4g..%.4g (score %.1f, %s)",
            incident.groupLabels().isEmpty() ? incident.groupKey() : incident.groupLabels(),
            first.series(),
            first.value(),
            first.expectedLow(),
            first.expectedHigh(),
            first.score(),
            first.detectors());
    record(incident, "opened", summary, AuditAction.INCIDENT_OPENED, first);
    var totals = incidents.totals();
    log.info(
        "incident {} {} [so far {} anomalies grouped into {} incidents]",
        incident.id(),
        summary,
        totals.anomalies(),
        totals.incidents());
    queue(incident);
  }

  @Override
  public void reopened(Incident incident, Anomaly anomaly) {
    String summary = "reopened: " + anomaly.series() + " is out of range again";
    record(incident, "reopened", summary, AuditAction.INCIDENT_OPENED, anomaly);
    log.info("incident {} {}", incident.id(), summary);
    queue(incident);
  }

  @Override
  public void attached(Incident incident, Anomaly anomaly, boolean newSeries) {
    if (newSeries) {
      String summary =
          String.format(
              Locale.ROOT, "%s joined (value %.4g, score %.1f)", anomaly.series(), anomaly.value(), anomaly.score());
      incidents.record(new TimelineEvent(incident.id(), clock.millis(), "anomaly", "sentinel", summary, Map.of()));
      log.info("incident {}: {}", incident.id(), summary);
    }
  }

  @Override
  public void resolved(Incident incident) {
    String summary = "resolved: " + incident.resolution();
    incidents.record(new TimelineEvent(incident.id(), clock.millis(), "resolved", "sentinel", summary, Map.of()));
    audit.append(
        AuditRecord.of(
            clock.millis(), "sentinel", AuditAction.INCIDENT_RESOLVED, incident.id(),
            Map.of("resolution", String.valueOf(incident.resolution()))));
    log.info("incident {} {}", incident.id(), summary);
  }

  private void record(Incident incident, String kind, String summary, AuditAction action, Anomaly anomaly) {
    long now = clock.millis();
    Map<String, String> details =
        Map.of(
            "series", anomaly.series().text(),
            "value", Double.toString(anomaly.value()),
            "score", String.format(Locale.ROOT, "%.2f", anomaly.score()),
            "severity", incident.severity().name());
    incidents.record(new TimelineEvent(incident.id(), now, kind, "sentinel", summary, details));
    audit.append(AuditRecord.of(now, "sentinel", action, incident.id(), details));
  }

  private void queue(Incident incident) {
    if (cases != null) {
      cases.enqueue(incident.id(), clock.millis() + settleMillis);
    }
  }
}
