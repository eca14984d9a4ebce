package dev.sentinel.detect;

import java.util.Objects;

/**
 * Detection settings for the metrics whose name matches a glob. In the glob, {@code *} matches any
 * run of characters (also none) and {@code ?} exactly one; everything else matches itself, so
 * {@code latency_*} covers {@code latency_p99_ms} but not {@code api_latency}.
 *
 * @param metric the glob over metric names (the series name, without labels)
 * @param detection the settings; unset fields inherit from the configuration's defaults
 */
public record MetricOverride(String metric, MetricDetection detection) {

  public MetricOverride {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(detection, "detection");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("metric glob must not be blank, was '" + metric + "'");
    }
  }

  /** Whether the metric name matches the glob, in full. */
  public boolean matches(String metricName) {
    return globMatches(metric, metricName);
  }

  /**
   * Greedy wildcard match with one back-tracking point: linear for the usual globs, at worst
   * proportional to the product of the lengths. Runs once per new series, never per point.
   */
  static boolean globMatches(String glob, String text) {
    int g = 0;
    int t = 0;
    int starGlob = -1;
    int starText = 0;
    while (t < text.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        starGlob = g++;
        starText = t;
      } else if (starGlob >= 0) {
        g = starGlob + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
