package dev.sentinel.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves metric names to tunings once, and caches them: a metric with many series resolves its
 * globs on its first series only. Tunings are numbered so per-series state can refer to them by a
 * small int.
 */
final class TuningTable {

  private final DetectionConfig config;
  private final Map<String, Integer> indexByMetric = new HashMap<>();
  private final Map<MetricDetection, Integer> indexByDetection = new HashMap<>();
  private final List<Tuning> tunings = new ArrayList<>();
  private final int maxWindowSize;
  private final boolean anySeasonal;

  TuningTable(DetectionConfig config) {
    this.config = config;
    int window = 0;
    boolean seasonal = false;
    List<MetricDetection> all = new ArrayList<>();
    all.add(config.defaults());
    for (MetricOverride override : config.overrides()) {
      all.add(override.detection().withFallback(config.defaults()));
    }
    for (MetricDetection detection : all) {
      Tuning tuning = new Tuning(detection);
      if (tuning.needsWindow()) {
        window = Math.max(window, tuning.windowSize);
      }
      seasonal |= tuning.seasonal;
    }
    maxWindowSize = window;
    anySeasonal = seasonal;
  }

  /** The index of the tuning for a metric name. */
  int indexOf(String metricName) {
    Integer known = indexByMetric.get(metricName);
    if (known != null) {
      return known;
    }
    MetricDetection detection = config.resolve(metricName);
    Integer index = indexByDetection.get(detection);
    if (index == null) {
      index = tunings.size();
      tunings.add(new Tuning(detection));
      indexByDetection.put(detection, index);
    }
    indexByMetric.put(metricName, index);
    return index;
  }

  /** A snapshot array of the tunings, for the hot path to index without a list. */
  Tuning[] toArray() {
    return tunings.toArray(new Tuning[0]);
  }

  /** The longest rolling window any metric can use: the stride of the window ring. */
  int maxWindowSize() {
    return maxWindowSize;
  }

  /** Whether any metric can use the seasonal profile: otherwise its arrays stay empty. */
  boolean anySeasonal() {
    return anySeasonal;
  }
}
