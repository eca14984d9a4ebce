package dev.sentinel.execute;

/**
 * Bounds on what one action may change, whatever a playbook or a person asked for.
 *
 * @param maxScaleFactor a scale may not grow or shrink the replica count by more than this factor
 *     (from 4 to 8 is a factor of 2, and so is 4 to 2)
 * @param maxReplicas no scale beyond this many replicas (or ECS tasks)
 * @param minReplicas no scale below this many: scaling a service to zero is an outage, not a fix
 */
public record ActionLimits(double maxScaleFactor, int maxReplicas, int minReplicas) {

  public ActionLimits {
    if (!(maxScaleFactor >= 1)) {
      throw new IllegalArgumentException("maxScaleFactor must be >= 1, was " + maxScaleFactor);
    }
    if (minReplicas < 0) {
      throw new IllegalArgumentException("minReplicas must be >= 0, was " + minReplicas);
    }
    if (maxReplicas < Math.max(minReplicas, 1)) {
      throw new IllegalArgumentException(
          "maxReplicas ("
              + maxReplicas
              + ") must be >= 1 and >= minReplicas ("
              + minReplicas
              + ")");
    }
  }

  /**
   * A factor of 8 lets the demo's playbook scale its single-replica database by six; production
   * configurations should set a tighter one.
   */
  public static ActionLimits defaults() {
    return new ActionLimits(8, 50, 1);
  }
}
