package dev.sentinel.app.eval;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's executor as the loop under test sees it, with every call that reaches it written
 * down: what the evaluation judges actions by, and how it sees a key used twice.
 */
final class RecordingExecutor implements Executor {

  /**
   * One call: an action or a restore (a rollback), under its idempotency key.
   *
   * @param replicasBefore the target's replicas just before the call, to tell a scale up from down
   */
  record Call(
      long atMillis,
      String key,
      Action action,
      boolean restore,
      ActionResult result,
      int replicasBefore) {

    /** The incident the workflow acted for: its keys begin with the incident's id. */
    String incidentId() {
      int slash = key.indexOf('/');
      return slash < 0 ? key : key.substring(0, slash);
    }

    boolean applied() {
      return result instanceof ActionResult.Applied;
    }
  }

  private final Executor delegate;
  private final Clock clock;
  private final List<Call> calls = new ArrayList<>();

  RecordingExecutor(Executor delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return delegate.platform();
  }

  @Override
  public Set<String> operations() {
    return delegate.operations();
  }

  @Override
  public PriorState capture(Action action) {
    return delegate.capture(action);
  }

  @Override
  public synchronized ActionResult apply(Action action, String idempotencyKey) {
    int before = replicasOf(action);
    ActionResult result = delegate.apply(action, idempotencyKey);
    calls.add(new Call(clock.millis(), idempotencyKey, action, false, result, before));
    return result;
  }

  @Override
  public synchronized ActionResult restore(PriorState prior, String idempotencyKey) {
    Action restore = new Action(prior.target(), "restore", prior.state());
    int before = replicasOf(restore);
    ActionResult result = delegate.restore(prior, idempotencyKey);
    calls.add(new Call(clock.millis(), idempotencyKey, restore, true, result, before));
    return result;
  }

  @Override
  public Map<String, String> describe(Target target) {
    return delegate.describe(target);
  }

  @Override
  public boolean safeToRepeat(Action action) {
    return delegate.safeToRepeat(action);
  }

  /** The target's replicas now, or -1 when the executor cannot read them (an unknown target). */
  private int replicasOf(Action action) {
    try {
      String replicas = delegate.capture(action).get("replicas");
      return replicas == null ? -1 : Integer.parseInt(replicas);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }
}
