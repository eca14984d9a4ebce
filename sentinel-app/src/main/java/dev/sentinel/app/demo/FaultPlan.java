package dev.sentinel.app.demo;

import dev.sentinel.simulator.FaultKind;
import java.util.List;

/** The faults the demo injects, in turn, one at a time. */
record FaultPlan(FaultKind kind, String service) {

  static final List<FaultPlan> ROTATION =
      List.of(
          new FaultPlan(FaultKind.ERROR_BURST, "checkout"),
          new FaultPlan(FaultKind.SATURATION, "api"),
          new FaultPlan(FaultKind.MEMORY_LEAK, "checkout"),
          new FaultPlan(FaultKind.LATENCY_SPIKE, "cache"),
          new FaultPlan(FaultKind.BAD_DEPLOY, "checkout"));

  static FaultPlan nth(int index) {
    return ROTATION.get(index % ROTATION.size());
  }
}
