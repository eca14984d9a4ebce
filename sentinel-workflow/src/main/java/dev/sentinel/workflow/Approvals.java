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

  private static final long PARK_WAIT_NANOS = 3_000_000_000L;

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

  private void decide(String incidentId, ApprovalDecision decision, AuditAction audited) {
    Incident incident =
        work.incidents
            .find(incidentId)
            .orElseThrow(
                () -> new NoSuchElementException("no incident with id '" + incidentId + "'"));
    if (incident.status() != IncidentStatus.AWAITING_APPROVAL) {
      throw new NotWaitingException(
          "incident " + incidentId + " is " + incident.status().code() + ", not awaiting approval");
    }
    // The incident shows "awaiting approval" a moment before its worker parks the case: a
    // decision that arrives in between waits for the park instead of being refused.
    long deadline = System.nanoTime() + PARK_WAIT_NANOS;
    while (!wake(incidentId, decision, audited)) {
      if (System.nanoTime() > deadline) {
        throw new NotWaitingException(
            "incident " + incidentId + " is not waiting for a decision right now; retry shortly");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotWaitingException("interrupted while waiting for incident " + incidentId);
      }
    }
  }

  private boolean wake(String incidentId, ApprovalDecision decision, AuditAction audited) {
    return queue.wakeWaiting(
        incidentId,
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
