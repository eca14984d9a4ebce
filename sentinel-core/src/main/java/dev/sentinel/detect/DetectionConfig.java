package dev.sentinel.detect;

import java.util.List;

/**
 * Detection settings: the defaults for every metric and, in order, the overrides for metrics
 * matching a glob. The first override whose glob matches a metric wins.
 *
 * <p>Unset fields of {@code defaults} are filled from {@link MetricDetection#defaults()}; each
 * override is resolved against the filled defaults here, so that a bad combination fails when the
 * configuration is built rather than when the first point of some metric arrives.
 */
public record DetectionConfig(MetricDetection defaults, List<MetricOverride> overrides) {

  public DetectionConfig {
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

  /** The complete settings for one metric name: its first matching override over the defaults. */
  public MetricDetection resolve(String metricName) {
    for (MetricOverride override : overrides) {
      if (override.matches(metricName)) {
        return override.detection().withFallback(defaults);
      }
    }
    return defaults;
  }
}
