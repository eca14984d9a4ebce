package dev.sentinel.simulator;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connects each service to the services it calls, refusing unknown callees and cycles: the model
 * follows calls recursively, so a cycle would never end.
 */
final class Topology {

  private Topology() {}

  static void wire(Map<String, SimulatedService> byName) {
    for (SimulatedService service : byName.values()) {
      List<Dependency> dependencies = service.profile().dependencies();
      SimulatedService[] callees = new SimulatedService[dependencies.size()];
      for (int i = 0; i < callees.length; i++) {
        String callee = dependencies.get(i).service();
        callees[i] = byName.get(callee);
        if (callees[i] == null) {
          throw new IllegalArgumentException(
              service.name()
                  + " calls '"
                  + callee
                  + "', which is not in the fleet "
                  + byName.keySet());
        }
      }
      service.wire(callees);
    }
    for (SimulatedService service : byName.values()) {
      checkAcyclic(service, new HashSet<>());
    }
  }

  private static void checkAcyclic(SimulatedService service, Set<String> path) {
    if (!path.add(service.name())) {
      throw new IllegalArgumentException("services call each other in a cycle: " + path);
    }
    for (int i = 0; i < service.profile().dependencies().size(); i++) {
      checkAcyclic(service.callee(i), path);
    }
    path.remove(service.name());
  }
}
