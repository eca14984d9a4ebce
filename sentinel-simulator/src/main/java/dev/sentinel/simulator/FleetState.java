package dev.sentinel.simulator;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything about a fleet that changes at run time, as plain values: what {@link
 * Fleet#snapshotState()} exports and {@link Fleet#restoreState} puts back, so that a fleet rebuilt
 * from it emits what the original would have. The fixed character of the services (their {@link
 * ServiceProfile}s) is not part of it: it comes from the code that builds the fleet.
 *
 * @param noiseState the position of the fleet's random sequence
 * @param services each service, in the fleet's order
 */
public record FleetState(long noiseState, List<Service> services) {

  /** The time of an event that has not happened, e.g. a restart of a service never restarted. */
  public static final long NEVER = Long.MIN_VALUE;

  public FleetState {
    services = List.copyOf(services);
    if (new TreeSet<>(serviceNames(services)).size() != services.size()) {
      throw new IllegalArgumentException("a service appears twice in " + serviceNames(services));
    }
  }

  /** The names of the services, in order. */
  public List<String> serviceNames() {
    return serviceNames(services);
  }

  private static List<String> serviceNames(List<Service> services) {
    return services.stream().map(Service::name).toList();
  }

  /**
   * Refuses a state saved from a different fleet: restoring it would leave some services at their
   * start state while others moved on.
   */
  void requireServices(Collection<String> fleetServices) {
    if (!new TreeSet<>(serviceNames()).equals(new TreeSet<>(fleetServices))) {
      throw new SimulatorException(
          "the saved state is for services "
              + serviceNames()
              + " but the fleet has "
              + List.copyOf(fleetServices));
    }
  }

  /**
   * The run-time state of one service.
   *
   * @param name the service
   * @param replicas how many replicas run
   * @param version the deployed version
   * @param previousVersions the versions it replaced, newest first: what rollbacks return to
   * @param defectiveVersions versions that start a bad deploy when deployed
   * @param faults the faults acting on it, oldest first
   * @param processStartMillis when its processes last started (restart, deploy or rollback)
   * @param restartedAtMillis when it was last restarted, or {@link #NEVER}
   * @param scaledAtMillis when it was last scaled, or {@link #NEVER}
   */
  public record Service(
      String name,
      int replicas,
      String version,
      List<String> previousVersions,
      SortedSet<String> defectiveVersions,
      List<Fault> faults,
      long processStartMillis,
      long restartedAtMillis,
      long scaledAtMillis) {

    public Service {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      Fleet.checkReplicas(name, replicas);
      if (version.isBlank() || previousVersions.stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException(name + ": versions must not be blank");
      }
      previousVersions = List.copyOf(previousVersions);
      defectiveVersions = Collections.unmodifiableSortedSet(new TreeSet<>(defectiveVersions));
      faults = List.copyOf(faults);
      for (Fault fault : faults) {
        if (!fault.service().equals(name)) {
          throw new IllegalArgumentException(
              "a fault of " + fault.service() + " cannot act on " + name);
        }
      }
    }

    Service withFaults(List<Fault> newFaults) {
      return new Service(
          name,
          replicas,
          version,
          previousVersions,
          defectiveVersions,
          newFaults,
          processStartMillis,
          restartedAtMillis,
          scaledAtMillis);
    }
  }
}
