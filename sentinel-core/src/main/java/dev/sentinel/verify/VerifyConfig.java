package dev.sentinel.verify;

import dev.sentinel.analyse.Glob;
import java.util.List;

/**
 * How recovery is judged after an action.
 *
 * @param windowSeconds the longest Sentinel watches after an action before it decides
 * @param graceSeconds the first seconds after an action are ignored: a restart's own blip
 * @param quietSeconds no anomaly on the incident's series for this long means recovered
 * @param worseFactor anomalies this many times stronger than before the action mean worse
 * @param demandMetrics metric-name globs of demand (traffic) series: they tell that load rose, but
 *     no remediation is meant to lower them, so they are neither required to return to their range
 *     nor counted as worse. By default {@code request_*}, {@code *_requests_total}, {@code rps} and
 *     {@code throughput*}.
 */
public record VerifyConfig(
    long windowSeconds,
    long graceSeconds,
    long quietSeconds,
    double worseFactor,
    List<String> demandMetrics) {

  public static final List<String> DEFAULT_DEMAND_METRICS =
      List.of("request_*", "*_requests_total", "rps", "throughput*");

  public VerifyConfig(
      long windowSeconds, long graceSeconds, long quietSeconds, double worseFactor) {
    this(windowSeconds, graceSeconds, quietSeconds, worseFactor, DEFAULT_DEMAND_METRICS);
  }

  public VerifyConfig {
    demandMetrics = demandMetrics == null ? DEFAULT_DEMAND_METRICS : List.copyOf(demandMetrics);
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds must be >= 1, was " + windowSeconds);
    }
    if (graceSeconds < 0 || quietSeconds < 1) {
      throw new IllegalArgumentException("graceSeconds must be >= 0 and quietSeconds >= 1");
    }
    if (graceSeconds + quietSeconds > windowSeconds) {
      throw new IllegalArgumentException(
          "graceSeconds + quietSeconds ("
              + (graceSeconds + quietSeconds)
              + ") must not exceed windowSeconds ("
              + windowSeconds
              + ")");
    }
    if (worseFactor <= 1) {
      throw new IllegalArgumentException("worseFactor must be > 1, was " + worseFactor);
    }
  }

  public static VerifyConfig defaults() {
    return new VerifyConfig(60, 5, 10, 1.5);
  }

  /** Whether the metric measures demand rather than health (see {@code demandMetrics}). */
  public boolean isDemand(String metricName) {
    return demandMetrics.stream().anyMatch(glob -> Glob.matches(glob, metricName));
  }
}
