package dev.sentinel.detect;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * How the detectors judge the series of one metric. Every field may be {@code null}, which means
 * "inherit": an override inherits from the configured defaults, and the defaults inherit from
 * {@link #defaults()}. This keeps a YAML file short (name only what differs) and lets Jackson bind
 * the record as it is.
 *
 * @param detectors the detectors that vote; an empty set switches detection off for the metric
 * @param sensitivity the one knob of a metric. With the likelihood decision a point is reported
 *     when its anomaly score reaches {@code 0.5 / sensitivity}: 1 reports what has a chance of one
 *     in 100,000 (10^-5) of being ordinary for the series, 2 one in 316 (10^-2.5), 0.5 one in
 *     10^10. With the threshold decision it divides every detector threshold instead
 * @param minSamples warm-up: no point of a series is flagged before it has seen this many values
 * @param windowSize length of the rolling window of the z-score detector (and the robust seed)
 * @param zScoreThreshold distance from the window mean, in standard deviations, that is anomalous
 * @param robustThreshold distance from the streaming median, in scaled MADs, that is anomalous
 * @param levelAlpha smoothing factor of the EWMA level and variance (per point, in (0, 1))
 * @param cusumSlack CUSUM allowance k: residuals within ±k standard deviations add no evidence
 * @param cusumThreshold CUSUM decision interval h: a sustained shift fires when the sum passes it
 * @param seasonalThreshold distance from the time-of-day expectation, in that hour's deviations
 * @param seasonalMinSamples values an hour-of-day bin must have seen before it may judge
 * @param weekly whether day-of-week offsets are learnt on top of the time-of-day profile
 * @param minRelativeSpread floor of every spread estimate, as a fraction of the series' level, so
 *     that a near-constant series does not flag changes far below what anyone would care about
 * @param firstDayCaution how much clearer the evidence must be on a series' first day, while the
 *     seasonal profile does not know the point's hour yet: every score is divided by it; 1 judges
 *     the first day like any other
 * @param decision how points become reports: {@link Decision#LIKELIHOOD} (the default), where
 *     {@code sensitivity} moves only the likelihood a report needs, or {@link Decision#THRESHOLD},
 *     where it divides every detector threshold
 */
public record MetricDetection(
    Set<DetectorKind> detectors,
    Double sensitivity,
    Integer minSamples,
    Integer windowSize,
    Double zScoreThreshold,
    Double robustThreshold,
    Double levelAlpha,
    Double cusumSlack,
    Double cusumThreshold,
    Double seasonalThreshold,
    Integer seasonalMinSamples,
    Boolean weekly,
    Double minRelativeSpread,
    Double firstDayCaution,
    Decision decision) {

  /** Largest rolling window: it bounds the per-series memory (4 bytes per slot). */
  public static final int MAX_WINDOW_SIZE = 1024;

  /** Largest per-bin sample requirement: bin counters saturate above it. */
  public static final int MAX_SEASONAL_MIN_SAMPLES = 60_000;

  public MetricDetection {
    if (detectors != null) {
      detectors =
          detectors.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(detectors));
    }
    requireAbove("sensitivity", sensitivity, 0);
    requireAtMost("sensitivity", sensitivity, 100);
    requireBetween("minSamples", minSamples, 2, 1_000_000);
    requireBetween("windowSize", windowSize, 8, MAX_WINDOW_SIZE);
    requireAbove("zScoreThreshold", zScoreThreshold, 0);
    requireAbove("robustThreshold", robustThreshold, 0);
    requireAbove("levelAlpha", levelAlpha, 0);
    requireBelow("levelAlpha", levelAlpha, 1);
    if (cusumSlack != null && !(cusumSlack >= 0 && cusumSlack < 10)) {
      throw invalid("cusumSlack must be in [0, 10)", cusumSlack);
    }
    requireAbove("cusumThreshold", cusumThreshold, 0);
    requireAbove("seasonalThreshold", seasonalThreshold, 0);
    requireBetween("seasonalMinSamples", seasonalMinSamples, 1, MAX_SEASONAL_MIN_SAMPLES);
    if (minRelativeSpread != null && !(minRelativeSpread >= 0 && minRelativeSpread < 1)) {
      throw invalid("minRelativeSpread must be in [0, 1)", minRelativeSpread);
    }
    if (firstDayCaution != null && !(firstDayCaution >= 1 && firstDayCaution <= 10)) {
      throw invalid("firstDayCaution must be in [1, 10]", firstDayCaution);
    }
  }

  /**
   * The built-in defaults. They aim at few false alarms on real operational series (CPU, latency,
   * request counts sampled every minute or five): a point must be about five standard deviations
   * out (six scaled MADs for the median, whose spread is smaller on heavy-tailed data), and a
   * sustained shift of one deviation fires after roughly twenty points. Lower thresholds caught few
   * more injected anomalies in the evaluation but raised false alarms on heavy-tailed noise. The
   * level's smoothing is 0.04 rather than a faster 0.05 so that it lags a slow ramp further and the
   * CUSUM sees the ramp sooner; that bought back most of the recall that the engine's heavy-tail
   * guard cost, for far fewer extra false alarms than the guard and onset-only reporting removed.
   * On its first day a series' scores count two thirds: a third of the false positives on generated
   * series with daily cycles fell on that day, when the first peak or quiet night looks like a
   * spike or a shift to detectors that have not seen a day yet.
   */
  public static MetricDetection defaults() {
    return new MetricDetection(
        EnumSet.allOf(DetectorKind.class),
        1.0,
        30,
        64,
        5.0,
        6.0,
        0.04,
        0.5,
        10.0,
        5.0,
        12,
        true,
        0.005,
        1.5,
        // The likelihood scores far better on real-world series (bench/RESULTS-detection.md).
        Decision.LIKELIHOOD);
  }

  /** A detection that sets nothing and inherits every field. */
  public static MetricDetection inherit() {
    return new MetricDetection(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** This detection with each unset field taken from {@code base}. */
  public MetricDetection withFallback(MetricDetection base) {
    return new MetricDetection(
        detectors != null ? detectors : base.detectors,
        sensitivity != null ? sensitivity : base.sensitivity,
        minSamples != null ? minSamples : base.minSamples,
        windowSize != null ? windowSize : base.windowSize,
        zScoreThreshold != null ? zScoreThreshold : base.zScoreThreshold,
        robustThreshold != null ? robustThreshold : base.robustThreshold,
        levelAlpha != null ? levelAlpha : base.levelAlpha,
        cusumSlack != null ? cusumSlack : base.cusumSlack,
        cusumThreshold != null ? cusumThreshold : base.cusumThreshold,
        seasonalThreshold != null ? seasonalThreshold : base.seasonalThreshold,
        seasonalMinSamples != null ? seasonalMinSamples : base.seasonalMinSamples,
        weekly != null ? weekly : base.weekly,
        minRelativeSpread != null ? minRelativeSpread : base.minRelativeSpread,
        firstDayCaution != null ? firstDayCaution : base.firstDayCaution,
        decision != null ? decision : base.decision);
  }

  /** Whether every field is set, as after {@code withFallback(MetricDetection.defaults())}. */
  public boolean isComplete() {
    return detectors != null
        && sensitivity != null
        && minSamples != null
        && windowSize != null
        && zScoreThreshold != null
        && robustThreshold != null
        && levelAlpha != null
        && cusumSlack != null
        && cusumThreshold != null
        && seasonalThreshold != null
        && seasonalMinSamples != null
        && weekly != null
        && minRelativeSpread != null
        && firstDayCaution != null
        && decision != null;
  }

  public MetricDetection withDetectors(Set<DetectorKind> value) {
    return new MetricDetection(
            value, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null)
        .withFallback(this);
  }

  public MetricDetection withSensitivity(double value) {
    return new MetricDetection(
            null, value, null, null, null, null, null, null, null, null, null, null, null, null,
            null)
        .withFallback(this);
  }

  public MetricDetection withMinSamples(int value) {
    return new MetricDetection(
            null, null, value, null, null, null, null, null, null, null, null, null, null, null,
            null)
        .withFallback(this);
  }

  public MetricDetection withWindowSize(int value) {
    return new MetricDetection(
            null, null, null, value, null, null, null, null, null, null, null, null, null, null,
            null)
        .withFallback(this);
  }

  public MetricDetection withZScoreThreshold(double value) {
    return new MetricDetection(
            null, null, null, null, value, null, null, null, null, null, null, null, null, null,
            null)
        .withFallback(this);
  }

  public MetricDetection withSeasonalMinSamples(int value) {
    return new MetricDetection(
            null, null, null, null, null, null, null, null, null, null, value, null, null, null,
            null)
        .withFallback(this);
  }

  public MetricDetection withFirstDayCaution(double value) {
    return new MetricDetection(
            null, null, null, null, null, null, null, null, null, null, null, null, null, value,
            null)
        .withFallback(this);
  }

  public MetricDetection withDecision(Decision value) {
    return new MetricDetection(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            value)
        .withFallback(this);
  }

  private static IllegalArgumentException invalid(String rule, Object value) {
    return new IllegalArgumentException(rule + ", was " + value);
  }

  private static void requireAbove(String field, Double value, double bound) {
    if (value != null && !(value > bound && value < Double.POSITIVE_INFINITY)) {
      throw invalid(field + " must be > " + format(bound) + " and finite", value);
    }
  }

  private static void requireBelow(String field, Double value, double bound) {
    if (value != null && !(value < bound)) {
      throw invalid(field + " must be < " + format(bound), value);
    }
  }

  private static void requireAtMost(String field, Double value, double bound) {
    if (value != null && !(value <= bound)) {
      throw invalid(field + " must be <= " + format(bound), value);
    }
  }

  private static void requireBetween(String field, Integer value, int low, int high) {
    if (value != null && (value < low || value > high)) {
      throw invalid(field + " must be in [" + low + ", " + high + "]", value);
    }
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
  }
}
