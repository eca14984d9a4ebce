package dev.sentinel.workflow;

import dev.sentinel.approve.ApprovalDecision;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.trace.RequestIds;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Human decisions on waiting plans, from any instance: the decision is written into the waiting
 * run's checkpoint under the case's lock, audited, and the case handed back to the workers.
 */
public final class Approvals {

  /** Why a decision was not taken. */
  public static final class NotWaitingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotWaitingException(String message) {
      super(message);
    }
  }

  private final WorkflowRunner runner;
  private final CaseQueue queue;
  private final Casework work;

  public Approvals(WorkflowRunner runner, CaseQueue queue, IncidentWorkflow workflow) {
    this.runner = runner;
    this.queue = queue;
    this.work = workflow.work();
  }

  public void approve(String incidentId, String actor, String reason) {
    decide(incidentId, new ApprovalDecision.Granted(actor, reason), AuditAction.APPROVAL_GRANTED);
  }

  public void reject(String incidentId, String actor, String reason) {
    decide(incidentId, new ApprovalDecision.Rejected(actor, reason), AuditAction.APPROVAL_REJECTED);
  }

  /**
   * Takes the decision if the case waits for one. Waiting and showing {@code awaiting_approval}
   * happen in one transaction (see {@link CaseQueue#park}), so there is no moment to wait out.
   */
  private void decide(String incidentId, ApprovalDecision decision, AuditAction audited) {
    Incident incident =
        work.incidents
            .find(incidentId)
            .orElseThrow(
                () -> new NoSuchElementException("no incident with id '" + incidentId + "'"));
    if (incident.handling().takenOver()) {
      throw new NotWaitingException(
          "incident "
              + incidentId
              + " was taken over by "
              + incident.handling().owner()
              + "; hand it back to Sentinel before deciding its plan");
    }
    if (incident.status() == IncidentStatus.RESOLVED || !wake(incidentId, decision, audited)) {
      throw new NotWaitingException(
          "incident "
              + incidentId
              + " is "
              + incident.status().code()
              + ", not awaiting approval"
              + (incident.status() == IncidentStatus.AWAITING_APPROVAL
                  ? " any more: a decision was taken, or the incident moved on, just now"
                  : ""));
    }
  }

  private boolean wake(String incidentId, ApprovalDecision decision, AuditAction audited) {
    IncidentStatus next =
        decision instanceof ApprovalDecision.Granted
            ? IncidentStatus.REMEDIATING
            : IncidentStatus.ESCALATED;
    return queue.wakeWaiting(
        incidentId,
        next,
        run -> {
          runner.update(
              incidentId,
              run,
              work.update().decision(decision).requestId(RequestIds.current()).values());
          String verb = decision instanceof ApprovalDecision.Granted ? "approved" : "rejected";
          work.record(
              incidentId,
              "approval",
              decision.actor(),
              audited,
              verb
                  + " by "
                  + decision.actor()
                  + (decision.reason().isBlank() ? "" : ": " + decision.reason()),
              Map.of("reason", decision.reason(), "decision", verb));
        });
  }
}
