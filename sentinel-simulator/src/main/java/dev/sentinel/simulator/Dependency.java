package dev.sentinel.simulator;

import java.util.Objects;

/**
 * A call from one service to another. The caller's latency includes {@code weight} times the
 * callee's, and the callee's failures fail the caller as if it made {@code weight} calls.
 *
 * @param service the callee
 * @param weight how many calls per request, on average (0.5: half the requests make one call)
 * @param lagMillis how long the callee's trouble takes to reach the caller (connection pools fill,
 *     timeouts expire); this delay is what lets root-cause analysis see which series moved first
 */
public record Dependency(String service, double weight, long lagMillis) {

  public Dependency {
    Objects.requireNonNull(service, "service");
    if (!(weight > 0)) {
      throw new IllegalArgumentException("dependency weight must be > 0, was " + weight);
    }
    if (lagMillis < 0) {
      throw new IllegalArgumentException("dependency lag must be >= 0, was " + lagMillis);
    }
  }
}
