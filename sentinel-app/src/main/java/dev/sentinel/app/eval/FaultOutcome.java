package dev.sentinel.app.eval;

import dev.sentinel.simulator.FaultKind;
import java.util.List;

/**
 * What became of one injected fault in a trial.
 *
 * @param detectSeconds from injection to the first anomaly of the faulty service; -1 when none
 * @param incidents the incidents its anomalies went to, first first
 * @param diagnosis the top cause of the first analysis of its first incident: a cause, {@code
 *     transient}, {@code unknown} (no hypothesis) or {@code none} (never analysed)
 * @param confidence that cause's confidence, 0 without one
 * @param actions what the workflow did for its incidents, each judged by {@link RightActions}
 * @param rollbacks actions of its incidents that were rolled back
 * @param worse verifications of its incidents that found an action made things worse
 * @param worseRolledBack of those, how many were followed by a verified rollback
 * @param approvals plans of its incidents a human (the stand-in) approved, up to its verified
 *     recovery when it had one
 * @param recoverySeconds from injection to a verified recovery resolving its incident; -1 when none
 * @param falseCredit the workflow verified a recovery while the fault was still there
 * @param clearedBy what ended the fault: {@code action}, {@code itself} (a spike that faded), or
 *     {@code harness} (nobody ended it; the evaluation cleared it at the end)
 * @param escalation why its incident went to a human; empty when it did not
 */
record FaultOutcome(
    FaultKind kind,
    String service,
    long detectSeconds,
    List<String> incidents,
    String diagnosis,
    double confidence,
    List<ActionTaken> actions,
    int rollbacks,
    int worse,
    int worseRolledBack,
    int approvals,
    long recoverySeconds,
    boolean falseCredit,
    String clearedBy,
    String escalation) {

  FaultOutcome {
    incidents = List.copyOf(incidents);
    actions = List.copyOf(actions);
  }

  /** One action, {@code seconds} after injection. */
  record ActionTaken(long seconds, String action, String result, boolean right) {}

  String expectedCause() {
    return RightActions.cause(kind);
  }

  boolean detected() {
    return detectSeconds >= 0;
  }

  boolean diagnosedRight() {
    return diagnosis.equals(expectedCause());
  }

  /**
   * Resolved as the issue counts it: a verified recovery that really ended the fault (not one
   * credited while it went on), after at most one human approval.
   */
  boolean resolved() {
    return recoverySeconds >= 0 && !falseCredit && clearedBy.equals("action") && approvals <= 1;
  }

  boolean escalated() {
    return !escalation.isEmpty();
  }

  /** Actions its incidents took after its verified recovery: none are needed. */
  long actionsAfterRecovery() {
    return recoverySeconds < 0
        ? 0
        : actions.stream().filter(action -> action.seconds() > recoverySeconds).count();
  }

  boolean harmful() {
    return worse > 0 || actions.stream().anyMatch(action -> !action.right());
  }

  /** One word for the outcome table. */
  String outcome() {
    if (resolved()) {
      return "resolved";
    }
    if (falseCredit) {
      return "false-recovery";
    }
    if (recoverySeconds >= 0 && clearedBy.equals("action")) {
      return "resolved-after-approvals";
    }
    if (escalated()) {
      return "escalated";
    }
    if (!detected()) {
      return "undetected";
    }
    if (clearedBy.equals("itself")) {
      return "faded";
    }
    return "unresolved";
  }
}
