package dev.sentinel.execute;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A platform of one replica count that logs every call, so tests can see what reached it. */
final class ScriptedExecutor implements Executor {

  final List<String> calls = new ArrayList<>();
  final String platform;
  int replicas = 4;
  RuntimeException captureFailure;

  ScriptedExecutor(String platform) {
    this.platform = platform;
  }

  @Override
  public String platform() {
    return platform;
  }

  @Override
  public Set<String> operations() {
    return Set.of("scale", "restart");
  }

  @Override
  public PriorState capture(Action action) {
    calls.add("capture " + action.target().resource());
    if (captureFailure != null) {
      throw captureFailure;
    }
    return new PriorState(action.target(), Map.of("replicas", Integer.toString(replicas)));
  }

  @Override
  public ActionResult apply(Action action, String idempotencyKey) {
    calls.add("apply " + action.describe());
    if (action.parameter("replicas") != null) {
      replicas = Integer.parseInt(action.parameter("replicas"));
    }
    return new ActionResult.Applied("done", Map.of("replicas", Integer.toString(replicas)));
  }

  @Override
  public ActionResult restore(PriorState prior, String idempotencyKey) {
    calls.add("restore " + prior.state());
    replicas = Integer.parseInt(prior.get("replicas"));
    return new ActionResult.Applied("restored", Map.of());
  }

  @Override
  public Map<String, String> describe(Target target) {
    return Map.of("replicas", Integer.toString(replicas));
  }
}
