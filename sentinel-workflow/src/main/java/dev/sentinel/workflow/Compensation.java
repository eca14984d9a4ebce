package dev.sentinel.workflow;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollback node: the saga's compensation. It undoes the plan's steps taken this round, one per
 * pass and newest first, each from the prior state stored before that step acted, and checks that
 * the target is back. Each step's rollback runs at most once under its own idempotency key, as
 * {@link Remedy}'s actions do.
 */
final class Compensation {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Compensation.class);

  static final String ROLLBACK = Remedy.ROLLBACK;
  static final String ANALYSE = Remedy.ANALYSE;
  static final String ESCALATE = Remedy.ESCALATE;
  static final String ROLLBACK_UNVERIFIED = "rollback-unverified";

  private final Casework work;
  private final ActionGuard guard;
  private final ActionJournal journal;
  private final int maxIterations;

  Compensation(Casework work, ActionGuard guard, ActionJournal journal, int maxIterations) {
    this.work = work;
    this.guard = guard;
    this.journal = journal;
    this.maxIterations = maxIterations;
  }

  /** The newest step that may have acted and is not rolled back yet: the saga undoes in reverse. */
  static Optional<StepOutcome> toRollBack(CaseState state) {
    List<StepOutcome> steps = state.steps();
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).awaitsRollback()) {
        return Optional.of(steps.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * Rolls back one step, the newest not rolled back yet, from the prior state stored before it
   * acted; the graph comes back here until every step taken is undone. Each step's rollback has its
   * own key, so a crash in the middle repeats none that finished.
   */
  Map<String, Object> rollback(CaseState state) {
    StepOutcome step = toRollBack(state).orElseThrow();
    PriorState prior = step.prior();
    Action action = step.action();
    String key = Remedy.stepKey(state, "rollback", step.number() - 1);
    Optional<ActionJournal.Entry> journaled = journal.find(key);
    ActionResult result;
    if (journaled.isPresent() && journaled.get().result() != null) {
      result = journaled.get().result();
    } else {
      Action restore = new Action(prior.target(), "restore", prior.state());
      journal.started(key, state.incidentId(), restore, prior);
      result = guard.restore(prior, key);
    }
    boolean verified = result instanceof ActionResult.Applied && restored(action, prior);
    if (journal.finished(key, result)) {
      work.record(
          state.incidentId(),
          "rollback",
          "sentinel",
          AuditAction.ACTION_ROLLED_BACK,
          "rolled back "
              + Remedy.label(step)
              + action.describe()
              + ": "
              + result.summary()
              + (verified ? " (verified: the prior state is back)" : " (NOT verified)"),
          Map.of(
              "key",
              key,
              "step",
              Integer.toString(step.number()),
              "steps",
              Integer.toString(step.of()),
              "verified",
              Boolean.toString(verified),
              "prior",
              prior.state().toString()));
    }
    List<StepOutcome> steps = new ArrayList<>(state.steps());
    steps.set(step.number() - 1, step.rolledBack(result, verified));
    // One rollback that cannot be verified leaves the whole saga unverified.
    boolean allVerified = verified && !ROLLBACK_UNVERIFIED.equals(state.outcome());
    return work.update().steps(steps).outcome(allVerified ? null : ROLLBACK_UNVERIFIED).values();
  }

  /**
   * Until every step taken is undone: the next rollback. Then a human takes over when a rollback is
   * unverified or the step that stopped the saga was refused or failed before it could act (a fresh
   * analysis would only meet the same wall); otherwise the incident is analysed again, within the
   * bound on rounds.
   */
  String afterRollback(CaseState state) {
    if (toRollBack(state).isPresent()) {
      return ROLLBACK;
    }
    if (ROLLBACK_UNVERIFIED.equals(state.outcome())) {
      return ESCALATE;
    }
    StepOutcome stopped = state.currentStep();
    if (stopped.result() instanceof ActionResult.Refused
        || (stopped.result() instanceof ActionResult.Failed && stopped.prior() == null)) {
      return ESCALATE;
    }
    return state.iteration() < maxIterations ? ANALYSE : ESCALATE;
  }

  /** Whether the target is back in its prior state, on every key the prior state recorded. */
  private boolean restored(Action action, PriorState prior) {
    Executor executor = work.executor(prior.target());
    Map<String, String> now;
    try {
      now = executor.capture(action).state();
    } catch (RuntimeException e) {
      // Unreadable is unverified: the incident then goes to a human instead of being resolved.
      log.warn("cannot read {} to verify its rollback", prior.target(), e);
      return false;
    }
    return prior.state().entrySet().stream()
        .allMatch(entry -> entry.getValue().equals(now.get(entry.getKey())));
  }
}
