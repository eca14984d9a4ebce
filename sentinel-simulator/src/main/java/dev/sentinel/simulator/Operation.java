package dev.sentinel.simulator;

/** The operations an executor can perform on a simulated service. */
public enum Operation {
  RESTART,
  SCALE,
  DEPLOY,
  ROLLBACK,
  /** Return a service to a recorded {@link ServiceState}: the undo of any other operation. */
  RESTORE
}
