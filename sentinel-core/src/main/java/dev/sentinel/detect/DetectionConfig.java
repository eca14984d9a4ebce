package dev.sentinel.detect;

import java.util.List;
import java.util.Set;

/**
 * Detection settings: the defaults for every metric and, in order, the overrides for metrics
 * matching a glob. The first override whose glob matches a metric wins.
 *
 * <p>Unset fields of {@code defaults} are filled from {@link MetricDetection#defaults()}; each
 * override is resolved against the filled defaults here, so that a bad combination fails when the
 * configuration is built rather than when the first point of some metric arrives.
 *
 * <p>Sentinel's own metrics ({@value #OWN_METRICS}: its ingest rates, queue depths, incident
 * counts), which come back to it when a Prometheus that scrapes Sentinel remote-writes to it, are
 * not judged unless {@code ownMetrics} is true: an incident about the incident engine's own
 * counters, opened by that engine, is noise (one such opened a critical incident with no symptom
 * anyone could act on). They are still stored and charted.
 *
 * @param ownMetrics whether Sentinel's own metrics go through detection; null means false
 */
public record DetectionConfig(
    MetricDetection defaults, List<MetricOverride> overrides, Boolean ownMetrics) {

  /** The metric names Sentinel gives its own metrics. */
  public static final String OWN_METRICS = "sentinel_*";

  public DetectionConfig(MetricDetection defaults, List<MetricOverride> overrides) {
    this(defaults, overrides, false);
  }

  public DetectionConfig {
    ownMetrics = Boolean.TRUE.equals(ownMetrics);
    defaults =
        defaults == null
            ? MetricDetection.defaults()
            : defaults.withFallback(MetricDetection.defaults());
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
    for (MetricOverride override : overrides) {
      override.detection().withFallback(defaults);
    }
  }

  /**
   * The built-in defaults and no overrides. (Not named {@code defaults()}: a record may not have a
   * static method with the signature of its {@code defaults} accessor.)
   */
  public static DetectionConfig builtIn() {
    return new DetectionConfig(MetricDetection.defaults(), List.of());
  }

  public static DetectionConfig of(MetricDetection defaults, MetricOverride... overrides) {
    return new DetectionConfig(defaults, List.of(overrides));
  }

  /**
   * The complete settings for one metric name: no detectors for Sentinel's own metrics (unless
   * {@code ownMetrics}), else its first matching override over the defaults.
   */
  public MetricDetection resolve(String metricName) {
    if (!ownMetrics && MetricOverride.globMatches(OWN_METRICS, metricName)) {
      return defaults.withDetectors(Set.of());
    }
    for (MetricOverride override : overrides) {
      if (override.matches(metricName)) {
        return override.detection().withFallback(defaults);
      }
    }
    return defaults;
  }
}
