package dev.sentinel.app;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.plan.Plan;
import dev.sentinel.workflow.WorkflowEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the terminal what the remediation workflow does, as it does it. */
final class WorkflowNarrator implements WorkflowEvents {

  private static final Logger log = LoggerFactory.getLogger("workflow");

  @Override
  public void recorded(TimelineEvent event) {
    log.info("incident {} [{}] {}", event.incidentId(), event.kind(), event.summary());
  }

  @Override
  public void approvalNeeded(Incident incident, Plan plan, String reason) {
    log.info(
        "incident {} waits for a human: {} -- approve with: curl -X POST"
            + " -H 'Authorization: Bearer <operator key>' http://<host:port>/api/v1/incidents/{}/approve"
            + " (or /reject)",
        incident.id(),
        plan.summary(),
        incident.id());
  }
}
