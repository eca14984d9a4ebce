package dev.sentinel.app;

import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.incident.Alert;
import dev.sentinel.incident.Attachment;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.trace.RequestIds;
import dev.sentinel.workflow.CaseQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the correlator opens, reopens or grows an incident, by an anomaly or an
 * Alertmanager alert: the timeline and audit trail record it, the workflow is queued, and the
 * terminal hears about it.
 */
final class IncidentNarrator implements IncidentListener {

  private static final Logger log = LoggerFactory.getLogger("incident");

  private final IncidentStore incidents;
  private final AuditTrail audit;
  private final PipelineMetrics metrics;
  private final Optional<CaseQueue> cases;
  private final Clock clock;
  private final long settleMillis;

  /**
   * @param cases where incidents are queued for remediation; empty when it is disabled
   * @param settleSeconds how long a new incident gathers evidence before the workflow starts
   */
  IncidentNarrator(
      IncidentStore incidents,
      AuditTrail audit,
      PipelineMetrics metrics,
      Optional<CaseQueue> cases,
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
            "opened for %s: %s (score %.1f, %s)",
            incident.groupLabels().isEmpty() ? incident.groupKey() : incident.groupLabels(),
            first.describe(),
            first.score(),
            first.detectors());
    record(incident, "opened", summary, AuditAction.INCIDENT_OPENED, first);
    log.info("incident {} {}", incident.id(), summary);
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
              Locale.ROOT,
              "%s joined (value %.4g, score %.1f)",
              anomaly.series(),
              anomaly.value(),
              anomaly.score());
      incidents.record(
          new TimelineEvent(
              incident.id(), clock.millis(), "anomaly", "sentinel", summary, Map.of()));
      log.info("incident {}: {}", incident.id(), summary);
    }
  }

  /** A new group joined this incident by meaning: on the timeline and audited as a merge. */
  @Override
  public void deduplicated(
      Incident incident, Anomaly anomaly, String groupKey, double similarity, String description) {
    long now = clock.millis();
    String score = String.format(Locale.ROOT, "%.3f", similarity);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("group", groupKey);
    details.put("similarity", score);
    details.put("description", description);
    details.put("series", anomaly.series().text());
    String summary =
        "deduplicated: "
            + groupKey
            + " reads like this incident (similarity "
            + score
            + "), so it joined instead of opening another";
    incidents.record(
        new TimelineEvent(incident.id(), now, "deduplicated", "sentinel", summary, details));
    audit.append(
        AuditRecord.of(now, "sentinel", AuditAction.INCIDENT_MERGED, incident.id(), details));
    metrics.incidentsDeduplicated.increment();
    log.info("incident {} {}", incident.id(), summary);
  }

  @Override
  public void resolved(Incident incident) {
    String summary = "resolved: " + incident.resolution();
    incidents.record(
        new TimelineEvent(
            incident.id(), clock.millis(), "resolved", "sentinel", summary, Map.of()));
    audit.append(
        AuditRecord.of(
            clock.millis(),
            "sentinel",
            AuditAction.INCIDENT_RESOLVED,
            incident.id(),
            Map.of("resolution", String.valueOf(incident.resolution()))));
    log.info("incident {} {}", incident.id(), summary);
  }

  /**
   * An alert opened, reopened or joined the incident: an "opened"/"reopened" entry (audited and
   * queued for the workflow, as an anomaly's would be) when it did, then an "alert" entry with the
   * alert itself; joining an open incident is audited as a merge.
   */
  @Override
  public void alertFiring(Incident incident, Alert alert, Attachment.Outcome outcome) {
    Map<String, String> details = alertDetails(incident, alert);
    String what =
        "alert " + alert.name() + (alert.summary().isEmpty() ? "" : ": " + alert.summary());
    long now = clock.millis();
    switch (outcome) {
      case OPENED -> {
        metrics.incidentsOpened.increment();
        String summary = "opened for " + incident.groupLabels() + " by " + what;
        incidents.record(
            new TimelineEvent(incident.id(), now, "opened", "alertmanager", summary, details));
        audit.append(
            AuditRecord.of(
                now, "alertmanager", AuditAction.INCIDENT_OPENED, incident.id(), details));
        log.info("incident {} {}", incident.id(), summary);
        queue(incident);
      }
      case REOPENED -> {
        String summary = "reopened by " + what;
        incidents.record(
            new TimelineEvent(incident.id(), now, "reopened", "alertmanager", summary, details));
        audit.append(
            AuditRecord.of(
                now, "alertmanager", AuditAction.INCIDENT_OPENED, incident.id(), details));
        log.info("incident {} {}", incident.id(), summary);
        queue(incident);
      }
      case ATTACHED -> {
        audit.append(
            AuditRecord.of(
                now, "alertmanager", AuditAction.INCIDENT_MERGED, incident.id(), details));
        log.info("incident {}: {} joined", incident.id(), what);
      }
    }
    incidents.record(
        new TimelineEvent(
            incident.id(), now, "alert", "alertmanager", what + " (firing)", details));
  }

  @Override
  public void alertResolved(Incident incident, Alert alert) {
    Map<String, String> details = alertDetails(incident, alert);
    String summary = "alert " + alert.name() + " resolved";
    incidents.record(
        new TimelineEvent(
            incident.id(), clock.millis(), "alert", "alertmanager", summary, details));
    log.info("incident {}: {}", incident.id(), summary);
  }

  /** The alert on the timeline: name, status, labels, annotations, times; and the request id. */
  private static Map<String, String> alertDetails(Incident incident, Alert alert) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("alertname", alert.name());
    details.put("status", alert.firing() ? "firing" : "resolved");
    details.put("fingerprint", alert.fingerprint());
    details.put("labels", new TreeMap<>(alert.labels()).toString());
    details.put("startsAt", Instant.ofEpochMilli(alert.startsAtMillis()).toString());
    if (alert.endsAtMillis() > 0) {
      details.put("endsAt", Instant.ofEpochMilli(alert.endsAtMillis()).toString());
    }
    for (Map.Entry<String, String> annotation : alert.annotations().entrySet()) {
      details.put("annotation." + annotation.getKey(), annotation.getValue());
    }
    if (!alert.generatorUrl().isEmpty()) {
      details.put("generatorURL", alert.generatorUrl());
    }
    details.put("severity", incident.severity().name());
    String requestId = RequestIds.current();
    if (requestId != null) {
      details.put(RequestIds.KEY, requestId);
    }
    return details;
  }

  private void record(
      Incident incident, String kind, String summary, AuditAction action, Anomaly anomaly) {
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
    cases.ifPresent(queue -> queue.enqueue(incident.id(), clock.millis() + settleMillis));
  }
}
