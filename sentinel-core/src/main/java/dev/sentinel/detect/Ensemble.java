package dev.sentinel.detect;

import java.util.EnumSet;
import java.util.Set;

/**
 * Combines the detectors' votes on one point. Each detector scores the point on a common scale, its
 * distance divided by its own threshold, so 1 is "exactly on the threshold". The engine owns one
 * instance and refills it for every point: no allocation on the hot path.
 *
 * <p>The combination rule:
 *
 * <ul>
 *   <li>When the seasonal profile is warm for the point's hour, it alone judges single points: it
 *       knows the time of day, so a learnt daily peak (unusual only against the last hours) is not
 *       flagged and a missing peak (usual against the last hours) is. The local detectors are then
 *       not even scored. Evaluation on generated series showed that letting them raise the seasonal
 *       score, even capped at twice its value, mostly added false alarms at the edges of recurring
 *       peaks.
 *   <li>Otherwise the two local detectors must agree: the smaller of the z-score and the robust
 *       score counts. The mean and the median react alike to a real spike, while heavy-tailed noise
 *       or a burst of outliers usually convinces only one of them.
 *   <li>On a heavy-tailed series the point score is divided by the {@link TailGuard} factor (at
 *       most 1.3): its ordinary outliers reach the plain threshold too often to page on.
 *   <li>A level shift (CUSUM) fires on its own: it is the evidence of many mild points.
 *   <li>On a series' first day, while the seasonal profile does not know the point's hour yet (for
 *       a metric with seasonal detection), every score is divided by the metric's {@code
 *       firstDayCaution} (1.5 by default): the first daily peak, the first night's dip or the first
 *       busy morning looks like a spike or a shift to the local detectors, and on generated series
 *       with daily cycles a third of all false positives fell on that first day.
 * </ul>
 */
final class Ensemble {

  /** Far enough to rank any real anomaly; keeps a zero-variance series' score finite. */
  static final double MAX_SCORE = 1_000;

  static final double ABSENT = -1;

  double zScore = ABSENT;
  double robust = ABSENT;
  double seasonal = ABSENT;
  double level = ABSENT;
  private double rawPointScore;
  private double widening;
  private double pointScore;
  private double score;

  void clear() {
    zScore = ABSENT;
    robust = ABSENT;
    seasonal = ABSENT;
    level = ABSENT;
    pointScore = 0;
    score = 0;
  }

  /**
   * Combines the votes; returns the ensemble score, at least 0 and at most {@link #MAX_SCORE}. The
   * tail factor of the series is read only when a point is out, which is rare.
   *
   * @param caution what the point and shift scores are divided by: 1, or the first-day caution
   * @param eitherLocal whether the larger of the two local scores counts rather than the smaller:
   *     under the likelihood decision the score is a signal to rank, not a verdict, and the larger
   *     one ranked NAB's labelled windows better (a standard score of 61.3 against 60.1)
   */
  double combine(TailGuard tails, int slot, int scored, double caution, boolean eitherLocal) {
    if (seasonal >= 0) {
      rawPointScore = seasonal;
    } else if (zScore >= 0 && robust >= 0) {
      rawPointScore = eitherLocal ? Math.max(zScore, robust) : Math.min(zScore, robust);
    } else {
      rawPointScore = Math.max(0, Math.max(zScore, robust));
    }
    // Most points are far inside: they pay neither the tail look-up nor a division.
    if (rawPointScore >= 1) {
      widening = tails.factor(slot, scored);
      pointScore = rawPointScore / widening;
    } else {
      widening = 1;
      pointScore = rawPointScore;
    }
    double shift = level;
    if (caution != 1) {
      pointScore /= caution;
      shift /= caution;
    }
    score = Math.min(MAX_SCORE, Math.max(0, Math.max(pointScore, shift)));
    return score;
  }

  /** The point detectors' score before the tail widening: what the {@link TailGuard} counts. */
  double rawPointScore() {
    return rawPointScore;
  }

  /** By how much the point thresholds were widened for this point: 1 or more. */
  double widening() {
    return widening;
  }

  /** Whether a single point is out of range, as opposed to a shift that built up over several. */
  boolean pointIsOut() {
    return pointScore >= 1;
  }

  /**
   * How sure the ensemble is, in [0, 1]: half from the share of voting detectors that are over
   * their own threshold, half from how far the ensemble score is beyond 1.
   */
  double confidence() {
    int voting = count(zScore) + count(robust) + count(seasonal) + count(level);
    int over = over(zScore) + over(robust) + over(seasonal) + over(level);
    double agreement = voting == 0 ? 0 : (double) over / voting;
    double margin = score <= 1 ? 0 : 1 - 1 / score;
    return Math.max(0, Math.min(1, (agreement + margin) / 2));
  }

  /** The detectors over their own threshold; allocates, so call for anomalous points only. */
  Set<DetectorKind> firing() {
    EnumSet<DetectorKind> kinds = EnumSet.noneOf(DetectorKind.class);
    if (zScore >= 1) {
      kinds.add(DetectorKind.ZSCORE);
    }
    if (robust >= 1) {
      kinds.add(DetectorKind.ROBUST);
    }
    if (seasonal >= 1) {
      kinds.add(DetectorKind.SEASONAL);
    }
    if (level >= 1) {
      kinds.add(DetectorKind.LEVEL_SHIFT);
    }
    return kinds;
  }

  private static int count(double vote) {
    return vote >= 0 ? 1 : 0;
  }

  private static int over(double vote) {
    return vote >= 1 ? 1 : 0;
  }
}
