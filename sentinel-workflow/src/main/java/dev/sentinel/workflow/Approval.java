package dev.sentinel.workflow;

import dev.sentinel.approve.ApprovalDecision;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import java.util.Map;

/**
 * The approve node (the policy decides) and the await node (a human decided while the graph was
 * stopped in front of it; the decision arrives through the state).
 */
final class Approval {

  static final String EXECUTE = "execute";
  static final String WAIT = "await_approval";
  static final String ESCALATE = "escalate";

  private final Casework work;
  private final ApprovalPolicy policy;
  private final WorkflowEvents events;

  Approval(Casework work, ApprovalPolicy policy, WorkflowEvents events) {
    this.work = work;
    this.policy = policy;
    this.events = events;
  }

  Map<String, Object> approve(CaseState state) {
    ApprovalDecision decision = policy.decide(state.plan());
    String id = state.incidentId();
    switch (decision) {
      case ApprovalDecision.AutoApproved auto ->
          work.record(
              id,
              "approval",
              "sentinel",
              AuditAction.APPROVAL_GRANTED,
              "auto-approved: " + auto.reason(),
              Map.of(
                  "auto",
                  "true",
                  "decision",
                  "auto",
                  "plan",
                  state.plan().summary(),
                  "steps",
                  Integer.toString(state.plan().size())));
      case ApprovalDecision.NeedsHuman needs -> {
        if (!state.plan().isEmpty()) {
          work.move(id, IncidentStatus.AWAITING_APPROVAL, null);
          Incident incident = work.incident(id);
          work.record(
              id,
              "approval",
              "sentinel",
              AuditAction.APPROVAL_REQUESTED,
              "approval needed: " + needs.reason(),
              Map.of(
                  "decision", "requested",
                  "plan", state.plan().summary(),
                  "steps", Integer.toString(state.plan().size()),
                  "risk", state.plan().risk().name()));
          events.approvalNeeded(incident, state.plan(), needs.reason());
        }
      }
      case ApprovalDecision.Granted granted -> {}
      case ApprovalDecision.Rejected rejected -> {}
    }
    return work.update().decision(decision).values();
  }

  String afterApprove(CaseState state) {
    if (state.decision().allowsExecution()) {
      return EXECUTE;
    }
    return state.plan().isEmpty() ? ESCALATE : WAIT;
  }

  /** Runs once a human decided (the graph stops in front of it until then). */
  Map<String, Object> await(CaseState state) {
    if (state.decision() instanceof ApprovalDecision.Granted) {
      work.move(state.incidentId(), IncidentStatus.REMEDIATING, null);
    }
    return Map.of();
  }

  String afterAwait(CaseState state) {
    return switch (state.decision()) {
      case ApprovalDecision.Granted granted -> EXECUTE;
      case ApprovalDecision.Rejected rejected -> ESCALATE;
      case ApprovalDecision.AutoApproved auto -> EXECUTE;
      // Woken without a decision: stop in front of the wait again.
      case ApprovalDecision.NeedsHuman needs -> WAIT;
    };
  }
}
