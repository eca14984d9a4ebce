package dev.sentinel.simulator;

/**
 * The faults the simulator can inject. {@link FaultEffects} holds how strongly each one moves the
 * metrics; this enum holds what ends it.
 */
public enum FaultKind {
  /**
   * Memory grows steadily; near the limit, garbage collection slows the tail and fails requests.
   */
  MEMORY_LEAK(true),
  /** Response times jump; fades by itself after the fleet's configured spike duration. */
  LATENCY_SPIKE(true),
  /** A share of requests fails (a poisoned connection pool, a bad cache entry). */
  ERROR_BURST(true),
  /** Extra load beyond capacity; only more replicas help, a restart does not. */
  SATURATION(false),
  /** A defective version is running; only a rollback (or a deploy of a good version) helps. */
  BAD_DEPLOY(false);

  private final boolean clearedByRestart;

  FaultKind(boolean clearedByRestart) {
    this.clearedByRestart = clearedByRestart;
  }

  /** Whether fresh processes (a restart, a deploy or a rollback) end this fault. */
  public boolean clearedByRestart() {
    return clearedByRestart;
  }
}
