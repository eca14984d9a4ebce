package dev.sentinel.detect;

import java.util.Set;

/**
 * A complete {@link MetricDetection} flattened to primitives for the hot path, with the sensitivity
 * already folded into every threshold. Immutable; shared by all series of a metric.
 */
final class Tuning {

  final boolean zScore;
  final boolean robust;
  final boolean level;
  final boolean seasonal;
  final boolean weekly;
  final int enabledCount;
  final int minSamples;
  final int windowSize;
  final int seasonalMinSamples;
  final double zScoreThreshold;
  final double robustThreshold;
  final double levelAlpha;
  final double cusumSlack;
  final double cusumThreshold;
  final double inverseCusumThreshold;
  final double seasonalThreshold;
  final double minRelativeSpread;
  final double firstDayCaution;
  final double robustRate;
  final double robustShrink;

  Tuning(MetricDetection detection) {
    if (!detection.isComplete()) {
      throw new IllegalArgumentException("detection settings are incomplete: " + detection);
    }
    Set<DetectorKind> kinds = detection.detectors();
    double sensitivity = detection.sensitivity();
    zScore = kinds.contains(DetectorKind.ZSCORE);
    robust = kinds.contains(DetectorKind.ROBUST);
    level = kinds.contains(DetectorKind.LEVEL_SHIFT);
    seasonal = kinds.contains(DetectorKind.SEASONAL);
    weekly = detection.weekly();
    enabledCount = kinds.size();
    minSamples = detection.minSamples();
    windowSize = detection.windowSize();
    seasonalMinSamples = detection.seasonalMinSamples();
    zScoreThreshold = detection.zScoreThreshold() / sensitivity;
    robustThreshold = detection.robustThreshold() / sensitivity;
    levelAlpha = detection.levelAlpha();
    cusumSlack = detection.cusumSlack() / sensitivity;
    cusumThreshold = detection.cusumThreshold() / sensitivity;
    inverseCusumThreshold = 1 / cusumThreshold;
    seasonalThreshold = detection.seasonalThreshold() / sensitivity;
    minRelativeSpread = detection.minRelativeSpread();
    firstDayCaution = detection.firstDayCaution();
    // The robust estimates step about as fast as the rolling window forgets.
    robustRate = 2.0 / (windowSize + 1);
    robustShrink = 1 / (1 + robustRate);
  }

  /** Whether the rolling window must be kept: it feeds the z-score and seeds the robust median. */
  boolean needsWindow() {
    return zScore || robust;
  }
}
