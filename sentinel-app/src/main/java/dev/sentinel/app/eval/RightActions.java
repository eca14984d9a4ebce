package dev.sentinel.app.eval;

import dev.sentinel.plan.Action;
import dev.sentinel.simulator.FaultKind;
import java.util.Locale;

/**
 * Which action is right for which fault, from what the default playbook means each play to do and
 * what the simulator says ends each fault ({@link FaultKind#clearedByRestart}):
 *
 * <ul>
 *   <li>memory leak, latency spike, error burst: {@code restart} of the faulty service (fresh
 *       processes end all three);
 *   <li>saturation: {@code scale} of the faulty service to more replicas than it has (only capacity
 *       relieves an overload);
 *   <li>bad deploy: {@code rollback} of the faulty service (a restart keeps the bad version).
 * </ul>
 *
 * Any action on another service is wrong, however it ends: for a cascade, the root service is the
 * faulty one. A rollback of an action ({@code restore}) is judged separately, as a rollback.
 */
final class RightActions {

  private RightActions() {}

  /** The cause the analyst should name for a fault of this kind. */
  static String cause(FaultKind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @param replicasBefore the service's replicas before the action, to tell a scale up from down
   */
  static boolean right(FaultKind kind, String service, Action action, int replicasBefore) {
    if (!action.target().resource().equals(service)) {
      return false;
    }
    return switch (kind) {
      case MEMORY_LEAK, LATENCY_SPIKE, ERROR_BURST -> action.operation().equals("restart");
      case SATURATION -> action.operation().equals("scale") && scalesUp(action, replicasBefore);
      case BAD_DEPLOY -> action.operation().equals("rollback");
    };
  }

  private static boolean scalesUp(Action action, int replicasBefore) {
    try {
      String delta = action.parameter("delta");
      if (delta != null) {
        return Integer.parseInt(delta.strip()) > 0;
      }
      String replicas = action.parameter("replicas");
      return replicas != null && Integer.parseInt(replicas.strip()) > replicasBefore;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
