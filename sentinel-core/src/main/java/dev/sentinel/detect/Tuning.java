package dev.sentinel.detect;

import java.util.Set;

/**
 * A complete {@link MetricDetection} flattened to primitives for the hot path, with the sensitivity
 * already folded in: into the anomaly score a report needs under the likelihood decision, into
 * every detector threshold under the threshold decision. Immutable; shared by all series of a
 * metric.
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
  final boolean likelihood;

  /** The anomaly score a report needs under the likelihood decision. */
  final double reportAt;

  /** The anomaly score a report needs at sensitivity 1: a tail probability of 10^-5. */
  static final double REPORT_AT = 0.5;

  Tuning(MetricDetection detection) {
    if (!detection.isComplete()) {
      throw new IllegalArgumentException("detection settings are incomplete: " + detection);
    }
    Set<DetectorKind> kinds = detection.detectors();
    likelihood = detection.decision() == Decision.LIKELIHOOD;
    reportAt = REPORT_AT / detection.sensitivity();
    // Under the likelihood decision the knob moves the report's bar only, so the detectors'
    // scores, and the baselines they protect, are the same at every sensitivity.
    double sensitivity = likelihood ? 1 : detection.sensitivity();
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
