package dev.sentinel.simulator;

import java.util.List;
import java.util.Objects;

/**
 * A read-only picture of the fleet, for the {@code /api/v1/simulator} endpoint and the console.
 *
 * @param services each service in the fleet's order
 */
public record FleetSnapshot(List<ServiceSnapshot> services) {

  public FleetSnapshot {
    services = List.copyOf(services);
  }

  /**
   * One service as it stands.
   *
   * @param state replicas and versions
   * @param calls the services it calls
   * @param faults the faults acting on it, oldest first
   */
  public record ServiceSnapshot(ServiceState state, List<String> calls, List<Fault> faults) {

    public ServiceSnapshot {
      Objects.requireNonNull(state, "state");
      calls = List.copyOf(calls);
      faults = List.copyOf(faults);
    }
  }
}
