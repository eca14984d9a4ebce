package dev.sentinel.app.demo;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.util.Map;
import java.util.Set;

/**
 * An executor that takes its time before acting, as real platforms do (a rollout, an instance
 * reboot). The demo uses it to make the moment "during execution" long enough to observe, and to
 * crash into in tests.
 */
public final class SlowExecutor implements Executor {

  private final Executor delegate;
  private final long delayMillis;

  public SlowExecutor(Executor delegate, long delayMillis) {
    this.delegate = delegate;
    this.delayMillis = delayMillis;
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
  public ActionResult apply(Action action, String idempotencyKey) {
    pause();
    return delegate.apply(action, idempotencyKey);
  }

  @Override
  public ActionResult restore(PriorState prior, String idempotencyKey) {
    pause();
    return delegate.restore(prior, idempotencyKey);
  }

  @Override
  public boolean safeToRepeat(Action action) {
    return delegate.safeToRepeat(action);
  }

  @Override
  public Map<String, String> describe(Target target) {
    return delegate.describe(target);
  }

  private void pause() {
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the action was under way", e);
    }
  }
}
