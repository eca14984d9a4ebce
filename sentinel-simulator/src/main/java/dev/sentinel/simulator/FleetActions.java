package dev.sentinel.simulator;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Translates between the executor port and the fleet: reads an {@link Action}'s operation and
 * parameters, calls the fleet, and tells what happened as a state map and a one-line summary. A
 * request it cannot carry out throws a {@link SimulatorException} whose message is the reason.
 */
final class FleetActions {

  static final SortedSet<String> OPERATIONS =
      Collections.unmodifiableSortedSet(
          new TreeSet<>(List.of("deploy", "restart", "rollback", "scale")));

  private final Fleet fleet;

  FleetActions(Fleet fleet) {
    this.fleet = fleet;
  }

  ActionResult.Applied apply(Action action, long atMillis) {
    String service = service(action.target());
    Change change =
        switch (action.operation()) {
          case "restart" -> {
            allowParameters(action, List.of());
            yield fleet.restart(service, atMillis);
          }
          case "scale" -> fleet.scale(service, wantedReplicas(action, service), atMillis);
          case "deploy" -> fleet.deploy(service, version(action), atMillis);
          case "rollback" -> {
            allowParameters(action, List.of());
            yield fleet.rollback(service, atMillis);
          }
          default ->
              throw new SimulatorException(
                  "unknown operation '"
                      + action.operation()
                      + "'; the simulator performs "
                      + String.join(", ", OPERATIONS));
        };
    return new ActionResult.Applied(summary(change), stateMap(change.after()));
  }

  /** Puts back the replicas and version of a {@link #capture}d state. */
  ActionResult.Applied restore(PriorState prior, long atMillis) {
    String service = service(prior.target());
    String replicasText = prior.get("replicas");
    String version = prior.get("version");
    if (replicasText == null || version == null || version.isBlank()) {
      throw new SimulatorException(
          "cannot restore "
              + service
              + ": the prior state needs replicas and version, has "
              + prior.state());
    }
    int replicas = whole(service, "replicas", replicasText);
    Fleet.checkReplicas(service, replicas);
    ServiceState wanted =
        new ServiceState(service, replicas, version, prior.get("previousVersion"));
    Change change = fleet.restore(wanted, atMillis);
    ServiceState before = change.before();
    ServiceState after = change.after();
    String summary =
        before.equals(after)
            ? "%s already had %s: nothing to restore".formatted(service, shape(after))
            : "restored %s to %s (was %s)".formatted(service, shape(after), shape(before));
    return new ActionResult.Applied(summary, stateMap(change.after()));
  }

  PriorState capture(Target target) {
    return new PriorState(target, stateMap(fleet.state(service(target))));
  }

  /** The state map plus {@code faults}: the faults active at that time, or {@code none}. */
  Map<String, String> describe(Target target, long atMillis) {
    String service = service(target);
    Map<String, String> description = stateMap(fleet.state(service));
    String faults =
        fleet.activeFaults().stream()
            .filter(fault -> fault.service().equals(service) && fault.activeAt(atMillis))
            .map(
                fault ->
                    fault.kind().name().toLowerCase(Locale.ROOT)
                        + " since "
                        + Instant.ofEpochMilli(fault.startMillis()))
            .collect(Collectors.joining(", "));
    description.put("faults", faults.isEmpty() ? "none" : faults);
    long changedAt = fleet.versionChangedAt(service);
    if (changedAt != Long.MIN_VALUE) {
      // What the analyst reads to tell a bad deploy from a burst of errors.
      description.put("changedAtMillis", Long.toString(changedAt));
    }
    return description;
  }

  /** {@code replicas}, {@code version} and, when there is one, {@code previousVersion}. */
  static Map<String, String> stateMap(ServiceState state) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("replicas", Integer.toString(state.replicas()));
    map.put("version", state.version());
    if (state.canRollBack()) {
      map.put("previousVersion", state.previousVersion());
    }
    return map;
  }

  private static String service(Target target) {
    if (!target.platform().equals(SimulatorExecutor.PLATFORM)) {
      throw new SimulatorException(
          "the simulator executor acts on platform '"
              + SimulatorExecutor.PLATFORM
              + "', not '"
              + target.platform()
              + "'");
    }
    return target.resource();
  }

  /** The replica count a scale asks for: {@code replicas=6}, or {@code delta=+3} from now. */
  private int wantedReplicas(Action action, String service) {
    allowParameters(action, List.of("replicas", "delta"));
    String absolute = action.parameter("replicas");
    String delta = action.parameter("delta");
    if ((absolute == null) == (delta == null)) {
      throw new SimulatorException(
          "scale needs either replicas (e.g. replicas=6) or delta (e.g. delta=+3), not "
              + (absolute == null ? "neither" : "both"));
    }
    if (absolute != null) {
      return whole(service, "replicas", absolute);
    }
    // Read and then scaled under two fleet locks: a concurrent scale from outside the executor
    // (none in Sentinel) could slip between them.
    long wanted = (long) fleet.state(service).replicas() + whole(service, "delta", delta);
    return Math.clamp(wanted, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  private static String version(Action action) {
    allowParameters(action, List.of("version"));
    String version = action.parameter("version");
    if (version == null || version.isBlank()) {
      throw new SimulatorException("deploy needs the version to roll out, e.g. version=v2.15.0");
    }
    return version;
  }

  private static void allowParameters(Action action, List<String> allowed) {
    for (String name : action.parameters().keySet()) {
      if (!allowed.contains(name)) {
        throw new SimulatorException(
            action.operation()
                + " does not take the parameter '"
                + name
                + "'"
                + (allowed.isEmpty() ? "" : "; it takes " + String.join(" or ", allowed)));
      }
    }
  }

  private static int whole(String service, String name, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new SimulatorException(
          name + " for " + service + " must be a whole number, was '" + value + "'");
    }
  }

  private static String summary(Change change) {
    ServiceState before = change.before();
    ServiceState after = change.after();
    String service = change.service();
    return switch (change.operation()) {
      case RESTART -> "restarted " + service + ": fresh processes for " + shape(after);
      case SCALE ->
          "scaled "
              + service
              + " from "
              + before.replicas()
              + " to "
              + replicaCount(after.replicas());
      case DEPLOY ->
          "deployed " + after.version() + " to " + service + ", replacing " + before.version();
      case ROLLBACK ->
          "rolled " + service + " back from " + before.version() + " to " + after.version();
      case RESTORE -> "restored " + service + " to " + shape(after);
    };
  }

  private static String shape(ServiceState state) {
    return replicaCount(state.replicas()) + " of " + state.version();
  }

  private static String replicaCount(int count) {
    return count + (count == 1 ? " replica" : " replicas");
  }
}
