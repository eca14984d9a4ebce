package dev.sentinel.incident;

import java.util.List;

/**
 * How anomalies are grouped into incidents.
 *
 * @param groupBy labels that make two anomalies "the same problem" (as Alertmanager's {@code
 *     group_by}); anomalies with none of them are grouped by metric name
 * @param windowSeconds an anomaly joins an open incident of its group if the incident's last
 *     anomaly is at most this old
 * @param quietResolveSeconds an open incident with no anomaly for this long is resolved as quiet
 * @param maxAnomaliesKept anomalies kept on one incident's timeline (the count goes on)
 */
public record CorrelationConfig(
    List<String> groupBy, long windowSeconds, long quietResolveSeconds, int maxAnomaliesKept) {

  public CorrelationConfig {
    groupBy = List.copyOf(groupBy);
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds must be >= 1, was " + windowSeconds);
    }
    if (quietResolveSeconds < windowSeconds) {
      throw new IllegalArgumentException(
          "quietResolveSeconds ("
              + quietResolveSeconds
              + ") must be >= windowSeconds ("
              + windowSeconds
              + ")");
    }
    if (maxAnomaliesKept < 1) {
      throw new IllegalArgumentException(
          "maxAnomaliesKept must be >= 1, was " + maxAnomaliesKept);
    }
  }

  public static CorrelationConfig defaults() {
    return new CorrelationConfig(List.of("service", "namespace", "cluster"), 300, 600, 200);
  }
}
