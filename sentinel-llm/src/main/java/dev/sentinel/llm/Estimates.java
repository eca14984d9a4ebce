package dev.sentinel.llm;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Playbook;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lower bounds on a model's downtime and blast-radius estimates, from what Sentinel already knows
 * of an operation. Risk, and so auto-approval, follows from these two numbers: a model that claims
 * a restart costs nothing must not talk its way past a human.
 */
public final class Estimates {

  private final Map<String, Long> downtimes;
  private final Map<String, BlastRadius> radii;
  private final List<String> stateful;

  private Estimates(
      Map<String, Long> downtimes, Map<String, BlastRadius> radii, List<String> stateful) {
    this.downtimes = Map.copyOf(downtimes);
    this.radii = Map.copyOf(radii);
    this.stateful = List.copyOf(stateful);
  }

  /** No floors: the model's estimates stand (tests, or platforms with no playbook). */
  public static Estimates none() {
    return new Estimates(Map.of(), Map.of(), List.of());
  }

  /**
   * The largest downtime and radius the playbook gives each operation, over all causes; a stateful
   * service's step reaches its dependents at least, as the rule planner assumes.
   */
  public static Estimates from(Playbook playbook) {
    Map<String, Long> downtimes = new HashMap<>();
    Map<String, BlastRadius> radii = new HashMap<>();
    for (List<Playbook.Play> plays : playbook.plays().values()) {
      for (Playbook.Play play : plays) {
        downtimes.merge(play.operation(), play.downtimeSeconds(), Math::max);
        radii.merge(play.operation(), play.radius(), Estimates::wider);
      }
    }
    return new Estimates(downtimes, radii, playbook.stateful());
  }

  long downtime(Action action, long proposed) {
    return Math.max(proposed, downtimes.getOrDefault(action.operation(), 0L));
  }

  BlastRadius radius(Action action, BlastRadius proposed) {
    BlastRadius floor = radii.getOrDefault(action.operation(), BlastRadius.INSTANCE);
    if (stateful.contains(action.target().resource())) {
      floor = wider(floor, BlastRadius.DEPENDENTS);
    }
    return wider(proposed, floor);
  }

  private static BlastRadius wider(BlastRadius a, BlastRadius b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
