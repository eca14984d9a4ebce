package dev.sentinel.detect;

import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A test fixture: one series fed into a fresh engine, with the anomalies it reported kept, and a
 * seeded source of noise, so every test is deterministic.
 */
final class Probe {

  /** Monday 2024-01-01T00:00:00Z. */
  static final long START = 1_704_067_200_000L;

  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  final SeriesRegistry registry = new SeriesRegistry();
  final DetectionEngine engine;
  final int series;
  final List<Anomaly> anomalies = new ArrayList<>();
  private final SplittableRandom random;
  private double lastScore;

  Probe(DetectionConfig config, String metric, long seed) {
    engine = new DetectionEngine(config, registry);
    series = registry.intern(SeriesKey.of(metric));
    random = new SplittableRandom(seed);
  }

  /**
   * A probe with the default settings but only the given detectors, deciding by their thresholds:
   * what a detector alone flags, not what the likelihood over its scores reports.
   */
  static Probe only(DetectorKind first, DetectorKind... rest) {
    MetricDetection detection =
        MetricDetection.defaults()
            .withDetectors(EnumSet.of(first, rest))
            .withDecision(Decision.THRESHOLD);
    return new Probe(new DetectionConfig(detection, List.of()), "test_metric", 7);
  }

  /** Every detector, deciding by their thresholds as before the likelihood. */
  static Probe withThresholds() {
    return new Probe(
        new DetectionConfig(MetricDetection.defaults().withDecision(Decision.THRESHOLD), List.of()),
        "test_metric",
        7);
  }

  static Probe withDefaults() {
    return new Probe(DetectionConfig.builtIn(), "test_metric", 7);
  }

  /** Feeds one point; returns whether the engine reported it as anomalous. */
  boolean feed(long timestampMillis, double value) {
    int before = anomalies.size();
    lastScore = engine.observe(series, timestampMillis, value, anomalies::add);
    return anomalies.size() > before;
  }

  /** Feeds {@code count} points one minute apart from {@code from}; returns how many flagged. */
  int feedNoise(long from, int count, double level, double sigma) {
    int flagged = 0;
    for (int i = 0; i < count; i++) {
      if (feed(from + i * MINUTE, level + sigma * gaussian())) {
        flagged++;
      }
    }
    return flagged;
  }

  double lastScore() {
    return lastScore;
  }

  double gaussian() {
    return random.nextGaussian();
  }

  Anomaly lastAnomaly() {
    return anomalies.get(anomalies.size() - 1);
  }
}
