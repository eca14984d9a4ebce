package dev.sentinel.app.config;

/**
 * The demo fleet that {@code sentinel run --demo} simulates.
 *
 * @param enabled whether to run the simulated fleet
 * @param seed random seed of the fleet's noise, so runs can be repeated
 * @param backfillHours history generated at start (one point a minute) to warm the detectors up
 * @param firstFaultSeconds delay before the first injected fault
 * @param faultIntervalSeconds time between injected faults
 * @param faultDurationSeconds how long a fault lasts before the demo's operator fixes it
 */
public record DemoConfig(
    boolean enabled,
    long seed,
    int backfillHours,
    int firstFaultSeconds,
    int faultIntervalSeconds,
    int faultDurationSeconds) {

  public DemoConfig {
    if (backfillHours < 1 || backfillHours > 24 * 14) {
      throw new IllegalArgumentException("backfillHours must be in 1..336, was " + backfillHours);
    }
    if (firstFaultSeconds < 0) {
      throw new IllegalArgumentException(
          "firstFaultSeconds must be >= 0, was " + firstFaultSeconds);
    }
    if (faultDurationSeconds < 1) {
      throw new IllegalArgumentException(
          "faultDurationSeconds must be >= 1, was " + faultDurationSeconds);
    }
    if (faultIntervalSeconds <= faultDurationSeconds) {
      throw new IllegalArgumentException(
          "faultIntervalSeconds ("
              + faultIntervalSeconds
              + ") must be greater than faultDurationSeconds ("
              + faultDurationSeconds
              + ")");
    }
  }

  public static DemoConfig defaults() {
    return new DemoConfig(false, 42, 48, 8, 60, 30);
  }

  public DemoConfig withEnabled(boolean enabled) {
    return new DemoConfig(
        enabled,
        seed,
        backfillHours,
        firstFaultSeconds,
        faultIntervalSeconds,
        faultDurationSeconds);
  }
}
