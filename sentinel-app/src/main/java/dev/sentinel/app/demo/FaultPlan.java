package dev.sentinel.app.demo;

import dev.sentinel.simulator.FaultKind;
import java.util.List;

/**
 * The faults the demo injects, in turn, and the operator action that ends each one. Until the
 * remediation workflow acts on its own, the demo's operator applies the fix after the fault has
 * run its configured time, so every fault shows its full arc: injected, detected, fixed.
 */
record FaultPlan(FaultKind kind, String service, String fix) {

  static final List<FaultPlan> ROTATION =
      List.of(
          new FaultPlan(FaultKind.MEMORY_LEAK, "checkout", "restart"),
          new FaultPlan(FaultKind.LATENCY_SPIKE, "cache", "restart"),
          new FaultPlan(FaultKind.ERROR_BURST, "api", "restart"),
          new FaultPlan(FaultKind.SATURATION, "api", "scale"),
          new FaultPlan(FaultKind.BAD_DEPLOY, "checkout", "rollback"));

  static FaultPlan nth(int index) {
    return ROTATION.get(index % ROTATION.size());
  }
}
