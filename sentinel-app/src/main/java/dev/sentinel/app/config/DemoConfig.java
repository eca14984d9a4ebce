package dev.sentinel.app.config;

import java.util.List;

/**
 * The demo fleet that {@code sentinel run --demo} simulates.
 *
 * @param enabled whether to run the simulated fleet
 * @param seed random seed of the fleet's noise, so runs can be repeated
 * @param backfillHours history generated at start (one point a minute) to warm the detectors up
 * @param autoFaults whether the demo injects faults by itself (else only through the API)
 * @param firstFaultSeconds delay before the first injected fault
 * @param faultIntervalSeconds least time between injected faults; the next one waits until the
 *     fleet is healthy again
 * @param defectiveVersions {@code service:version} pairs the fleet treats as broken releases, so a
 *     playbook that deploys one makes things worse (used to show rollback)
 * @param actionDelayMillis how long the simulated platform takes to carry out an action, like a
 *     real one that needs a while (0 acts at once)
 */
public record DemoConfig(
    boolean enabled,
    long seed,
    int backfillHours,
    boolean autoFaults,
    int firstFaultSeconds,
    int faultIntervalSeconds,
    List<String> defectiveVersions,
    long actionDelayMillis) {

  public DemoConfig {
    if (backfillHours < 1 || backfillHours > 24 * 14) {
      throw new IllegalArgumentException("backfillHours must be in 1..336, was " + backfillHours);
    }
    if (firstFaultSeconds < 0) {
      throw new IllegalArgumentException(
          "firstFaultSeconds must be >= 0, was " + firstFaultSeconds);
    }
    if (faultIntervalSeconds < 1) {
      throw new IllegalArgumentException(
          "faultIntervalSeconds must be >= 1, was " + faultIntervalSeconds);
    }
    if (actionDelayMillis < 0 || actionDelayMillis > 60_000) {
      throw new IllegalArgumentException(
          "actionDelayMillis must be in 0..60000, was " + actionDelayMillis);
    }
    defectiveVersions = defectiveVersions == null ? List.of() : List.copyOf(defectiveVersions);
    for (String pair : defectiveVersions) {
      if (pair.indexOf(':') < 1 || pair.endsWith(":")) {
        throw new IllegalArgumentException(
            "defectiveVersions entries must be service:version, was '" + pair + "'");
      }
    }
  }

  public static DemoConfig defaults() {
    return new DemoConfig(false, 42, 48, true, 8, 45, List.of(), 0);
  }

  public DemoConfig withEnabled(boolean enabled) {
    return new DemoConfig(
        enabled,
        seed,
        backfillHours,
        autoFaults,
        firstFaultSeconds,
        faultIntervalSeconds,
        defectiveVersions,
        actionDelayMillis);
  }
}
