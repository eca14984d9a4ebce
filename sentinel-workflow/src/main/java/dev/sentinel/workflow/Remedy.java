package dev.sentinel.workflow;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Attempt;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The execute and rollback nodes. Each runs its action at most once per idempotency key
 * (incident/run/iteration/step): the journal remembers what was started and how it ended, the prior
 * state is stored before the action runs (compensation first), and the executor itself dedups by
 * key, so a crash at any point followed by a re-run never acts twice. Every action goes through the
 * {@link dev.sentinel.execute.ActionGuard} (allow lists, limits, dry-run); whatever it refuses is
 * recorded with its reason and goes to a human.
 */
final class Remedy {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Remedy.class);

  static final String VERIFY = "verify";
  static final String ROLLBACK = "rollback";
  static final String ANALYSE = "analyse";
  static final String ESCALATE = "escalate";

  private final Casework work;

  Remedy(Casework work) {
    this.work = work;
  }

  Map<String, Object> execute(CaseState state) {
    PlanStep step = state.plan().steps().getFirst();
    Action action = step.action();
    String key = key(state, "execute");
    ActionResult result;
    PriorState prior;
    Optional<ActionJournal.Entry> journaled = work.parts.journal().find(key);
    if (journaled.isPresent() && journaled.get().result() != null) {
      prior = journaled.get().prior();
      result = journaled.get().result();
    } else if (journaled.isPresent() && !work.parts.guard().safeToRepeat(action)) {
      // Started before a crash or restart and never finished: whether it ran is unknown, and
      // this platform would do it again. A human decides, with the target's state in the case.
      prior = journaled.get().prior();
      result =
          new ActionResult.Refused(
              "not repeated: "
                  + action.describe()
                  + " was started under "
                  + key
                  + " but its outcome was never recorded (Sentinel stopped or failed"
                  + " meanwhile), and doing it again would act twice on this platform; check "
                  + action.target()
                  + " by hand");
    } else {
      // The guard hands the prior state over before the executor acts: compensation first.
      Attempt attempt =
          work.parts
              .guard()
              .act(
                  action,
                  key,
                  journaled.map(ActionJournal.Entry::prior).orElse(null),
                  captured ->
                      work.parts.journal().started(key, state.incidentId(), action, captured));
      prior = attempt.prior();
      result = attempt.result();
    }
    ensureJournaled(key, state.incidentId(), action, prior);
    if (work.parts.journal().finished(key, result)) {
      Map<String, String> details = new java.util.LinkedHashMap<>();
      details.put("key", key);
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
          action.describe() + ": " + result.summary(),
          details);
    }
    List<String> attempts = new ArrayList<>(state.attempts());
    if (!(result instanceof ActionResult.Applied)) {
      attempts.add(action.describe() + " -> " + kind(result));
    }
    return work.update()
        .prior(prior)
        .result(result)
        .actionAt(work.now())
        .attempts(attempts)
        .values();
  }

  private void ensureJournaled(String key, String incidentId, Action action, PriorState prior) {
    if (work.parts.journal().find(key).isEmpty()) {
      work.parts.journal().started(key, incidentId, action, prior);
    }
  }

  String afterExecute(CaseState state) {
    return switch (state.result()) {
      case ActionResult.Applied applied -> VERIFY;
      case ActionResult.Failed failed -> state.prior() != null ? ROLLBACK : ESCALATE;
      case ActionResult.Refused refused -> ESCALATE;
      case ActionResult.DryRun dryRun -> ESCALATE;
    };
  }

  Map<String, Object> rollback(CaseState state) {
    PriorState prior = state.prior();
    Action action = state.plan().steps().getFirst().action();
    String key = key(state, "rollback");
    Optional<ActionJournal.Entry> journaled = work.parts.journal().find(key);
    ActionResult result;
    if (journaled.isPresent() && journaled.get().result() != null) {
      result = journaled.get().result();
    } else {
      Action restore = new Action(prior.target(), "restore", prior.state());
      work.parts.journal().started(key, state.incidentId(), restore, prior);
      result = work.parts.guard().restore(prior, key);
    }
    boolean verified = result instanceof ActionResult.Applied && restored(action, prior);
    if (work.parts.journal().finished(key, result)) {
      work.record(
          state.incidentId(),
          "rollback",
          "sentinel",
          AuditAction.ACTION_ROLLED_BACK,
          "rolled back "
              + action.describe()
              + ": "
              + result.summary()
              + (verified ? " (verified: the prior state is back)" : " (NOT verified)"),
          Map.of(
              "key",
              key,
              "verified",
              Boolean.toString(verified),
              "prior",
              prior.state().toString()));
    }
    return work.update().result(result).outcome(verified ? null : "rollback-unverified").values();
  }

  String afterRollback(CaseState state) {
    if ("rollback-unverified".equals(state.outcome())) {
      return ESCALATE;
    }
    return state.iteration() < work.parts.config().maxIterations() ? ANALYSE : ESCALATE;
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

  static String key(CaseState state, String step) {
    return state.incidentId() + "/" + state.run() + "/" + state.iteration() + "/" + step;
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
