package dev.sentinel.workflow;

import dev.sentinel.analyse.CaseFile;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.plan.Target;
import dev.sentinel.trace.RequestIds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every node needs besides its own logic: loading the incident, recording to the timeline and
 * the audit trail at once, moving the incident's status, assembling its case file.
 */
final class Casework {

  private static final Logger log = LoggerFactory.getLogger(Casework.class);
  private static final long RECENT_ANOMALIES_MILLIS = 15 * 60_000L;

  final IncidentStore incidents;
  final CaseCodec codec = new CaseCodec();
  private final AuditTrail audit;
  private final AnomalyLog anomalies;
  private final ExecutorRegistry executors;
  private final WorkflowEvents events;
  private final Clock clock;

  Casework(
      IncidentStore incidents,
      AuditTrail audit,
      AnomalyLog anomalies,
      ExecutorRegistry executors,
      WorkflowEvents events,
      Clock clock) {
    this.incidents = incidents;
    this.audit = audit;
    this.anomalies = anomalies;
    this.executors = executors;
    this.events = events;
    this.clock = clock;
  }

  long now() {
    return clock.millis();
  }

  Update update() {
    return new Update(codec);
  }

  Incident incident(String id) {
    return incidents
        .find(id)
        .orElseThrow(() -> new NoSuchElementException("incident " + id + " is gone"));
  }

  /**
   * Moves the incident; a no-op when it is already there.
   *
   * @throws IncidentMovedOn when the incident was resolved under this run: the runner ends the run
   * @throws IllegalStateException when the lifecycle forbids the move otherwise (a bug)
   */
  void move(String incidentId, IncidentStatus to, String resolution) {
    Incident incident = incident(incidentId);
    if (incident.status() == to) {
      return;
    }
    if (incident.status() == IncidentStatus.RESOLVED && !incident.status().canMoveTo(to)) {
      throw new IncidentMovedOn(incidentId, incident.status(), to);
    }
    incident.status().checkTransition(to);
    incidents.transition(incidentId, to, now(), resolution);
  }

  /**
   * Fails with {@link IncidentMovedOn} when the incident is no longer Sentinel's to work: a person
   * took it over, or it was resolved under the run. Every node but the last (learning from what
   * happened) checks it first, so a take-over stops the run before its next step.
   */
  void checkStillOurs(String incidentId) {
    Incident incident = incident(incidentId);
    if (incident.handling().takenOver()) {
      throw IncidentMovedOn.takenOver(incidentId, incident.handling().owner());
    }
    if (incident.status() == IncidentStatus.RESOLVED) {
      throw IncidentMovedOn.resolved(incidentId);
    }
  }

  /** Records one event on the timeline and, when it is an audited action, in the audit trail. */
  void record(
      String incidentId,
      String kind,
      String actor,
      AuditAction audited,
      String summary,
      Map<String, String> details) {
    long at = now();
    // The request behind this (an approval, or the incident's own run) is left on the record.
    String requestId = RequestIds.current();
    if (requestId != null && !details.containsKey(RequestIds.KEY)) {
      details = new LinkedHashMap<>(details);
      details.put(RequestIds.KEY, requestId);
    }
    TimelineEvent event = new TimelineEvent(incidentId, at, kind, actor, summary, details);
    incidents.record(event);
    if (audited != null) {
      Map<String, String> auditDetails = new LinkedHashMap<>(details);
      auditDetails.put("summary", summary);
      audit.append(AuditRecord.of(at, actor, audited, incidentId, auditDetails));
    }
    try {
      events.recorded(event);
    } catch (RuntimeException e) {
      log.warn("a workflow listener failed on {} of {}", kind, incidentId, e);
    }
  }

  Executor executor(Target target) {
    return executors.find(target.platform()).orElse(null);
  }

  /** The incident with its anomalies (kept ones plus recent ones of its group) and context. */
  CaseFile caseFile(Incident incident, List<String> attempts, Map<String, String> targetState) {
    Map<String, Anomaly> unique = new LinkedHashMap<>();
    for (Anomaly anomaly : incident.anomalies()) {
      unique.put(anomaly.series().text() + "@" + anomaly.timestampMillis(), anomaly);
    }
    List<Anomaly> recent =
        anomalies.recent(
            now() - RECENT_ANOMALIES_MILLIS,
            dev.sentinel.verify.Verifier.belongsTo(incident),
            2000);
    for (Anomaly anomaly : recent) {
      unique.putIfAbsent(anomaly.series().text() + "@" + anomaly.timestampMillis(), anomaly);
    }
    return new CaseFile(incident, new ArrayList<>(unique.values()), targetState, attempts);
  }
}
