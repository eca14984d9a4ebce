package dev.sentinel.workflow;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import java.util.Optional;

/**
 * The record of every action a workflow started, by idempotency key (incident, run, iteration,
 * step). Written before the action runs (with the prior state a rollback needs) and after it ends,
 * so a step re-run after a crash knows whether the action already happened. Thread-safe.
 */
public interface ActionJournal {

  /** What the journal holds for a key. */
  record Entry(String key, Action action, PriorState prior, ActionResult result) {}

  Optional<Entry> find(String key);

  /** Records that the action is about to run; a second call with the same key changes nothing. */
  void started(String key, String incidentId, Action action, PriorState prior);

  /**
   * Records how the action ended.
   *
   * @return true the first time, false when the key already had a result (a re-run)
   */
  boolean finished(String key, ActionResult result);
}
