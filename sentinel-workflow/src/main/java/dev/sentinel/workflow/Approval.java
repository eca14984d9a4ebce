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
          // The incident shows "awaiting approval" once the case is parked (CaseQueue#park), and
          // the request goes out then (see announce): never before a decision can be taken.
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
        }
      }
      case ApprovalDecision.Granted granted -> {}
      case ApprovalDecision.Rejected rejected -> {}
    }
    return work.update().decision(decision).values();
  }

  /**
   * Asks for a decision (Slack buttons, pages, the console's feed) once the case waits for one: a
   * human who answers at once finds it waiting.
   */
  void announce(CaseState state) {
    if (state.decision() instanceof ApprovalDecision.NeedsHuman needs) {
      Incident incident = work.incident(state.incidentId());
      events.approvalNeeded(incident, state.plan(), needs.reason());
    }
  }

  String afterApprove(CaseState state) {
    if (state.decision().allowsExecution()) {
      return EXECUTE;
    }
    return state.plan().isEmpty() ? ESCALATE : WAIT;
  }

  /**
   * Runs once a human decided (the graph stops in front of it until then). Waking the case moved
   * the incident on already; this repeats it for a case woken before that rule.
   */
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
