package dev.sentinel.workflow;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Attempt;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The execute node, which runs a plan as a saga: one step per pass, each verified before the next
 * ({@link Closure}), and on failure the steps taken are undone by {@link Compensation}. Each step
 * runs its action at most once per idempotency key (incident/run/iteration/step): the journal
 * remembers what was started and how it ended, the prior state is stored before the action runs
 * (compensation first), and the executor itself dedups by key, so a crash at any point followed by
 * a re-run never acts twice. Every action goes through the {@link dev.sentinel.execute.ActionGuard}
 * (allow lists, limits, dry-run); whatever it refuses is recorded with its reason and goes to a
 * human.
 */
final class Remedy {

  static final String VERIFY = "verify";
  static final String ROLLBACK = "rollback";
  static final String ANALYSE = "analyse";
  static final String ESCALATE = "escalate";
  static final String EXECUTE = "execute";

  private final Casework work;
  private final ActionGuard guard;
  private final ActionJournal journal;

  Remedy(Casework work, ActionGuard guard, ActionJournal journal) {
    this.work = work;
    this.guard = guard;
    this.journal = journal;
  }

  /**
   * Takes the plan's next step: the first one this round has no outcome for. A re-run after a crash
   * finds the same step (its outcome was never checkpointed) and so the same key.
   */
  Map<String, Object> execute(CaseState state) {
    int index = state.steps().size();
    int of = state.plan().size();
    PlanStep step = state.plan().steps().get(index);
    Action action = step.action();
    String key = stepKey(state, "execute", index);
    Attempt attempt = attempt(state, action, key);
    PriorState prior = attempt.prior();
    ActionResult result = attempt.result();
    ensureJournaled(key, state.incidentId(), action, prior);
    StepOutcome outcome = StepOutcome.taken(index + 1, of, action, prior, result);
    if (journal.finished(key, result)) {
      Map<String, String> details = new java.util.LinkedHashMap<>();
      details.put("key", key);
      details.put("step", Integer.toString(index + 1));
      details.put("steps", Integer.toString(of));
      details.put("risk", step.risk().name());
      details.put("result", kind(result));
      if (!(result instanceof ActionResult.Applied)) {
        details.put("reason", result.summary());
      }
      work.record(
          state.incidentId(),
          "action",
          "sentinel",
          audited(result),
          label(outcome) + action.describe() + ": " + result.summary(),
          details);
    }
    List<String> attempts = new ArrayList<>(state.attempts());
    if (!(result instanceof ActionResult.Applied)) {
      attempts.add(action.describe() + " -> " + kind(result));
    }
    List<StepOutcome> steps = new ArrayList<>(state.steps());
    steps.add(outcome);
    return work.update()
        .prior(prior)
        .result(result)
        .actionAt(work.now())
        .steps(steps)
        .attempts(attempts)
        .values();
  }

  /** The step's action through the guard, or what a run before a crash already learned of it. */
  private Attempt attempt(CaseState state, Action action, String key) {
    Optional<ActionJournal.Entry> journaled = journal.find(key);
    if (journaled.isPresent() && journaled.get().result() != null) {
      return new Attempt(journaled.get().prior(), journaled.get().result());
    }
    if (journaled.isPresent() && !guard.safeToRepeat(action)) {
      // Started before a crash or restart and never finished: whether it ran is unknown, and
      // this platform would do it again. A human decides, with the target's state in the case.
      return new Attempt(
          journaled.get().prior(),
          new ActionResult.Refused(
              "not repeated: "
                  + action.describe()
                  + " was started under "
                  + key
                  + " but its outcome was never recorded (Sentinel stopped or failed"
                  + " meanwhile), and doing it again would act twice on this platform; check "
                  + action.target()
                  + " by hand"));
    }
    Optional<StepOutcome> simulated =
        state.steps().stream()
            .filter(taken -> taken.result() instanceof ActionResult.DryRun)
            .findFirst();
    if (simulated.isPresent() && !guard.safety().dryRun(action.target().platform())) {
      // The steps are a sequence: one after a step that was only simulated would act on a state
      // the plan did not expect, so it is only described too.
      return new Attempt(
          null,
          new ActionResult.DryRun(
              "dry-run: would "
                  + action.describe()
                  + " after "
                  + simulated.get().label()
                  + ", which was itself a dry-run"));
    }
    // The guard hands the prior state over before the executor acts: compensation first.
    return guard.act(
        action,
        key,
        journaled.map(ActionJournal.Entry::prior).orElse(null),
        captured -> journal.started(key, state.incidentId(), action, captured));
  }

  private void ensureJournaled(String key, String incidentId, Action action, PriorState prior) {
    if (journal.find(key).isEmpty()) {
      journal.started(key, incidentId, action, prior);
    }
  }

  /**
   * Applied: verify it. A dry-run acted on nothing: the next step is described too, and after the
   * last a human takes over. Failed or refused: the steps already taken are rolled back (the failed
   * one too, when it may have half-acted); with nothing to roll back, a human takes over.
   */
  String afterExecute(CaseState state) {
    return switch (state.currentStep().result()) {
      case ActionResult.Applied applied -> VERIFY;
      case ActionResult.DryRun dryRun -> state.hasNextStep() ? EXECUTE : ESCALATE;
      case ActionResult.Failed failed ->
          Compensation.toRollBack(state).isPresent() ? ROLLBACK : ESCALATE;
      case ActionResult.Refused refused ->
          Compensation.toRollBack(state).isPresent() ? ROLLBACK : ESCALATE;
    };
  }

  static String key(CaseState state, String step) {
    return state.incidentId() + "/" + state.run() + "/" + state.iteration() + "/" + step;
  }

  /**
   * The idempotency key of a plan step's action or rollback: {@code incident/run/iteration/execute}
   * for the first step, {@code .../execute/2} for the second. The first keeps the form it had
   * before plans ran as sagas, so a step that a checkpoint of the old code left started resumes
   * under the same key and cannot act twice.
   */
  static String stepKey(CaseState state, String what, int index) {
    return key(state, what) + (index == 0 ? "" : "/" + (index + 1));
  }

  /** {@code step 2 of 3: } in front of a summary, when the plan has more than one step. */
  static String label(StepOutcome step) {
    return step.of() > 1 ? step.label() + ": " : "";
  }

  private static AuditAction audited(ActionResult result) {
    return switch (result) {
      case ActionResult.Applied applied -> AuditAction.ACTION_EXECUTED;
      case ActionResult.DryRun dryRun -> AuditAction.ACTION_DRY_RUN;
      case ActionResult.Refused refused -> AuditAction.ACTION_REFUSED;
      case ActionResult.Failed failed -> AuditAction.ACTION_FAILED;
    };
  }

  static String kind(ActionResult result) {
    return switch (result) {
      case ActionResult.Applied applied -> "applied";
      case ActionResult.DryRun dryRun -> "dry-run";
      case ActionResult.Refused refused -> "refused";
      case ActionResult.Failed failed -> "failed";
    };
  }
}
