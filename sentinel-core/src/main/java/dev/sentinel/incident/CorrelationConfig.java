package dev.sentinel.incident;

import java.util.List;

/**
 * How anomalies are grouped into incidents.
 *
 * @param groupBy labels that make two anomalies "the same problem" (as Alertmanager's {@code
 *     group_by}); anomalies with none of them are grouped by metric name
 * @param windowSeconds after an incident is resolved, an anomaly of one of its own series within
 *     this window reopens it instead of opening another (flap damping); another symptom of the
 *     group is a new fault and opens a new incident
 * @param quietResolveSeconds an incident nobody is working on, with no anomaly for this long, is
 *     resolved as recovered without action
 * @param maxAnomaliesKept anomalies kept on one incident (the count goes on)
 * @param desk the bounded queue between detection and correlation
 */
public record CorrelationConfig(
    List<String> groupBy,
    long windowSeconds,
    long quietResolveSeconds,
    int maxAnomaliesKept,
    DeskConfig desk) {

  public CorrelationConfig {
    groupBy = List.copyOf(groupBy);
    java.util.Objects.requireNonNull(desk, "desk");
    if (windowSeconds < 0) {
      throw new IllegalArgumentException("windowSeconds must be >= 0, was " + windowSeconds);
    }
    if (quietResolveSeconds < 1) {
      throw new IllegalArgumentException(
          "quietResolveSeconds must be >= 1, was " + quietResolveSeconds);
    }
    if (maxAnomaliesKept < 1) {
      throw new IllegalArgumentException("maxAnomaliesKept must be >= 1, was " + maxAnomaliesKept);
    }
  }

  /** With the desk's defaults. */
  public CorrelationConfig(
      List<String> groupBy, long windowSeconds, long quietResolveSeconds, int maxAnomaliesKept) {
    this(groupBy, windowSeconds, quietResolveSeconds, maxAnomaliesKept, DeskConfig.defaults());
  }

  public static CorrelationConfig defaults() {
    return new CorrelationConfig(List.of("service", "namespace", "cluster"), 300, 600, 200);
  }
}
