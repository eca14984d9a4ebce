package dev.sentinel.workflow;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.verify.Recovery;
import java.util.Locale;
import java.util.Objects;

/**
 * What became of one step of the plan in the current round: how its action ended, what the
 * verification said and whether it was rolled back. Part of the checkpointed {@link CaseState}, so
 * a run resumed on another instance knows exactly which steps acted and which to undo.
 *
 * @param number the step's place in the plan, from 1
 * @param of how many steps the plan has
 * @param prior the target's state before the step, as stored before it acted (null when the step
 *     was refused or failed before the target was read)
 * @param recovery what the verification after the step said; null when it was not verified (not
 *     applied) or not yet
 * @param rollback how the rollback of the step ended; null when it was not rolled back
 * @param restored whether the rollback was verified: the target is back in its prior state
 */
public record StepOutcome(
    int number,
    int of,
    Action action,
    PriorState prior,
    ActionResult result,
    Recovery recovery,
    ActionResult rollback,
    boolean restored) {

  public StepOutcome {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(result, "result");
    if (number < 1 || number > of) {
      throw new IllegalArgumentException("step " + number + " of " + of);
    }
  }

  static StepOutcome taken(
      int number, int of, Action action, PriorState prior, ActionResult result) {
    return new StepOutcome(number, of, action, prior, result, null, null, false);
  }

  StepOutcome verified(Recovery recovery) {
    return new StepOutcome(number, of, action, prior, result, recovery, rollback, restored);
  }

  StepOutcome rolledBack(ActionResult rollback, boolean restored) {
    return new StepOutcome(number, of, action, prior, result, recovery, rollback, restored);
  }

  /**
   * Whether the step may have changed its target, so that a rollback must undo it: it was applied,
   * or it failed after its prior state was stored (a half-applied action looks like that).
   */
  boolean mayHaveActed() {
    return result instanceof ActionResult.Applied
        || (result instanceof ActionResult.Failed && prior != null);
  }

  boolean awaitsRollback() {
    return mayHaveActed() && rollback == null;
  }

  /**
   * How the step's action ended: {@code applied}, {@code dry-run}, {@code refused}, {@code failed}.
   */
  public String resultKind() {
    return Remedy.kind(result);
  }

  /** {@code step 2 of 3}, for summaries in the timeline and the audit trail. */
  String label() {
    return "step " + number + " of " + of;
  }

  /** One line: {@code scale simulator:api {replicas=5} -> unchanged}. */
  String line() {
    String ended =
        recovery != null ? recovery.name().toLowerCase(Locale.ROOT) : Remedy.kind(result);
    return action.describe() + " -> " + ended;
  }
}
