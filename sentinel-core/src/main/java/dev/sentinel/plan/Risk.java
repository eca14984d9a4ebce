package dev.sentinel.plan;

/** How dangerous a step is, from its estimated downtime and blast radius. */
public enum Risk {
  LOW,
  MEDIUM,
  HIGH;

  /**
   * Under a minute of downtime confined to one service is low; under five minutes, or reaching
   * dependents, is medium; anything longer or platform-wide is high. The minute follows the usual
   * threshold teams set for hands-off remediation.
   */
  public static Risk of(long downtimeSeconds, BlastRadius radius) {
    if (radius == BlastRadius.PLATFORM || downtimeSeconds >= 300) {
      return HIGH;
    }
    if (radius == BlastRadius.DEPENDENTS || downtimeSeconds >= 60) {
      return MEDIUM;
    }
    return LOW;
  }
}
