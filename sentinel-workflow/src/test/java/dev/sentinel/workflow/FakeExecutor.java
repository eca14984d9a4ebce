package dev.sentinel.workflow;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small stand-in platform: services with a replica count, restart and scale operations, dedup by
 * idempotency key, and hooks to make an action fail or crash after it took effect.
 */
public final class FakeExecutor implements Executor {

  final Map<String, Integer> replicas = new HashMap<>();
  final List<String> performed = new ArrayList<>();

  /** The request id each action was taken under, as an executor's outbound call would send it. */
  final List<String> requestIds = new ArrayList<>();

  private final Map<String, ActionResult> byKey = new HashMap<>();
  Runnable afterApply = () -> {};
  boolean crashAfterApplyOnce;

  /** The action takes effect but reports failure, as a rollout that never became ready. */
  boolean failAfterApply;

  /** A restore that claims success but leaves the target as it is. */
  boolean restoreIgnored;

  /** Whether its answers by key outlive a restart of Sentinel (see Executor#safeToRepeat). */
  boolean remembersKeys = true;

  @Override
  public String platform() {
    return "fake";
  }

  @Override
  public Set<String> operations() {
    return Set.of("restart", "scale");
  }

  @Override
  public synchronized PriorState capture(Action action) {
    return new PriorState(
        action.target(),
        Map.of("replicas", Integer.toString(replicas.getOrDefault(action.target().resource(), 2))));
  }

  @Override
  public synchronized ActionResult apply(Action action, String key) {
    // A platform that forgets keys (an executor keeping them in memory, restarted) acts again.
    ActionResult earlier = remembersKeys ? byKey.get(key) : null;
    if (earlier != null) {
      return earlier;
    }
    String service = action.target().resource();
    if (action.operation().equals("scale")) {
      int now = replicas.getOrDefault(service, 2);
      replicas.put(service, now + Integer.parseInt(action.parameter("delta").replace("+", "")));
    }
    performed.add(action.operation() + " " + service);
    requestIds.add(dev.sentinel.trace.RequestIds.current());
    ActionResult result =
        failAfterApply
            ? new ActionResult.Failed(
                action.operation() + " " + service + ": the rollout was not ready in time")
            : new ActionResult.Applied(action.operation() + " done", Map.of());
    byKey.put(key, result);
    afterApply.run();
    if (crashAfterApplyOnce) {
      crashAfterApplyOnce = false;
      throw new IllegalStateException("simulated crash right after the action took effect");
    }
    return result;
  }

  @Override
  public synchronized ActionResult restore(PriorState prior, String key) {
    ActionResult earlier = byKey.get(key);
    if (earlier != null) {
      return earlier;
    }
    if (!restoreIgnored) {
      replicas.put(prior.target().resource(), Integer.parseInt(prior.get("replicas")));
    }
    performed.add("restore " + prior.target().resource() + " " + prior.state());
    ActionResult result = new ActionResult.Applied("restored", Map.of());
    byKey.put(key, result);
    return result;
  }

  @Override
  public boolean safeToRepeat(Action action) {
    return remembersKeys;
  }

  @Override
  public synchronized Map<String, String> describe(Target target) {
    return Map.of("replicas", Integer.toString(replicas.getOrDefault(target.resource(), 2)));
  }
}
