package dev.sentinel.workflow;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.approve.ApprovalDecision;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Plan;
import dev.sentinel.verify.RecoveryReport;
import dev.sentinel.verify.VerifyProgress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The keys a node changes, encoded for the graph's state map (values are JSON text or numbers). */
final class Update {

  /** Marks a key as cleared; the graph keeps a key once set, so "none" is written explicitly. */
  static final String NONE = "";

  private final Map<String, Object> values = new HashMap<>();
  private final CaseCodec codec;

  Update(CaseCodec codec) {
    this.codec = codec;
  }

  Update iteration(int iteration) {
    values.put(CaseState.ITERATION, iteration);
    return this;
  }

  Update analysis(Analysis analysis) {
    values.put(CaseState.ANALYSIS, codec.write(analysis));
    return this;
  }

  Update plan(Plan plan) {
    values.put(CaseState.PLAN, codec.write(plan));
    return this;
  }

  Update decision(ApprovalDecision decision) {
    values.put(CaseState.DECISION, decision == null ? NONE : codec.write(decision));
    return this;
  }

  Update prior(PriorState prior) {
    values.put(CaseState.PRIOR, prior == null ? NONE : codec.write(prior));
    return this;
  }

  Update result(ActionResult result) {
    values.put(CaseState.RESULT, result == null ? NONE : codec.write(result));
    return this;
  }

  Update actionAt(long millis) {
    values.put(CaseState.ACTION_AT, millis);
    return this;
  }

  Update report(RecoveryReport report) {
    values.put(CaseState.REPORT, report == null ? NONE : codec.write(report));
    return this;
  }

  /** Where the current step's verification stands; null when it has reached its verdict. */
  Update verification(VerifyProgress progress) {
    values.put(CaseState.VERIFICATION, progress == null ? NONE : codec.write(progress));
    return this;
  }

  Update steps(List<StepOutcome> steps) {
    values.put(CaseState.STEPS, codec.write(steps));
    return this;
  }

  Update attempts(List<String> attempts) {
    values.put(CaseState.ATTEMPTS, codec.write(attempts));
    return this;
  }

  Update outcome(String outcome) {
    values.put(CaseState.OUTCOME, outcome == null ? NONE : outcome);
    return this;
  }

  Update requestId(String requestId) {
    if (requestId != null) {
      values.put(CaseState.REQUEST_ID, requestId);
    }
    return this;
  }

  Map<String, Object> values() {
    return Map.copyOf(values);
  }
}
