package dev.sentinel.app.demo;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.workflow.Approvals;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stand-in for the on-call engineer: Sentinel hands escalated incidents to a person, and
 * in the demo nobody is there, so this closes an escalated incident once it has been quiet for a
 * while — as a person would after looking — and the demo's later faults in that service open
 * incidents of their own instead of joining one nobody works. Only ever wired in with {@code
 * --demo}; it records what it did on the timeline and in the audit trail under its own name.
 */
public final class StandInOnCall {

  static final String ACTOR = "demo-on-call";
  private static final Logger log = LoggerFactory.getLogger("demo");

  private final IncidentStore incidents;
  private final AuditTrail audit;
  private final Clock clock;
  private final Optional<Approvals> approvals;

  /**
   * @param approvals how the stand-in approves waiting plans; empty when remediation is disabled
   */
  public StandInOnCall(
      IncidentStore incidents, AuditTrail audit, Optional<Approvals> approvals, Clock clock) {
    this.incidents = incidents;
    this.audit = audit;
    this.approvals = approvals;
    this.clock = clock;
  }

  /**
   * Approves every plan that has waited for a human for {@code waitMillis}, as the on-call engineer
   * would after reading it; how many. Does nothing without remediation.
   */
  int approveWaitingPlans(long waitMillis) {
    if (approvals.isEmpty()) {
      return 0;
    }
    Approvals decide = approvals.get();
    long now = clock.millis();
    int approved = 0;
    IncidentFilter waiting =
        new IncidentFilter(EnumSet.of(IncidentStatus.AWAITING_APPROVAL), null, null, null, null);
    for (Incident incident : incidents.list(waiting, 100)) {
      long askedAt =
          incidents.timeline(incident.id(), 10_000).stream()
              .filter(e -> e.kind().equals("approval") && e.summary().startsWith("approval needed"))
              .mapToLong(TimelineEvent::atMillis)
              .max()
              .orElse(now);
      if (now - askedAt < waitMillis) {
        continue;
      }
      try {
        decide.approve(
            incident.id(), ACTOR, "the demo's stand-in for the on-call engineer read the plan");
        log.info(
            "incident {} approved by the demo's stand-in for the on-call engineer", incident.id());
        approved++;
      } catch (Approvals.NotWaitingException e) {
        log.debug("incident {} no longer waiting: {}", incident.id(), e.getMessage());
      }
    }
    return approved;
  }

  /** Whether Sentinel is working an incident (remediating, or waiting for an approval). */
  boolean busy() {
    return !incidents
        .list(
            new IncidentFilter(
                EnumSet.of(IncidentStatus.REMEDIATING, IncidentStatus.AWAITING_APPROVAL),
                null,
                null,
                null,
                null),
            1)
        .isEmpty();
  }

  /** Closes every escalated incident without an anomaly for {@code quietMillis}; how many. */
  int closeQuietEscalations(long quietMillis) {
    long now = clock.millis();
    int closed = 0;
    IncidentFilter escalated =
        new IncidentFilter(EnumSet.of(IncidentStatus.ESCALATED), null, null, null, null);
    for (Incident incident : incidents.list(escalated, 100)) {
      if (now - incident.lastAnomalyAtMillis() < quietMillis) {
        continue;
      }
      String summary =
          "closed by the demo's stand-in for the on-call engineer: quiet for "
              + (now - incident.lastAnomalyAtMillis()) / 1000
              + " s";
      incidents.transition(incident.id(), IncidentStatus.RESOLVED, now, summary);
      incidents.record(new TimelineEvent(incident.id(), now, "resolved", ACTOR, summary, Map.of()));
      audit.append(
          AuditRecord.of(
              now,
              ACTOR,
              AuditAction.INCIDENT_RESOLVED,
              incident.id(),
              Map.of("summary", summary)));
      log.info("incident {} {}", incident.id(), summary);
      closed++;
    }
    return closed;
  }
}
