package dev.sentinel.detect;

import dev.sentinel.ingest.SeriesKey;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One anomalous point, as judged by the ensemble of detectors.
 *
 * @param series the series the point belongs to
 * @param timestampMillis the point's time, epoch milliseconds
 * @param value the observed value
 * @param expectedLow lower bound of the range the ensemble expected
 * @param expectedHigh upper bound of the range the ensemble expected
 * @param score how far outside the expected range, in units of the series' spread (≥ 0)
 * @param confidence how sure the ensemble is, in [0, 1]
 * @param direction which way the value left the range
 * @param detectors the detectors that fired on this point
 * @param kind what kind of change this is: a point out of range, a step to a new level, a steady
 *     drift, or a sequence the series never showed
 * @param slopePerMinute for a {@link AnomalyKind#DRIFT drift}, how fast the value moves, in its own
 *     unit per minute (negative when falling), estimated from the series' recent values; 0 for
 *     every other kind
 */
public record Anomaly(
    SeriesKey series,
    long timestampMillis,
    double value,
    double expectedLow,
    double expectedHigh,
    double score,
    double confidence,
    Direction direction,
    Set<DetectorKind> detectors,
    AnomalyKind kind,
    double slopePerMinute) {

  /** An anomaly whose kind is told by the detectors that fired: a shift alone, else a point. */
  public Anomaly(
      SeriesKey series,
      long timestampMillis,
      double value,
      double expectedLow,
      double expectedHigh,
      double score,
      double confidence,
      Direction direction,
      Set<DetectorKind> detectors) {
    this(
        series,
        timestampMillis,
        value,
        expectedLow,
        expectedHigh,
        score,
        confidence,
        direction,
        detectors,
        detectors.equals(Set.of(DetectorKind.LEVEL_SHIFT)) ? AnomalyKind.SHIFT : AnomalyKind.POINT,
        0);
  }

  public Anomaly {
    Objects.requireNonNull(series, "series");
    Objects.requireNonNull(direction, "direction");
    // Anomalies stored before kinds were kept have none: read them as the detectors tell.
    if (kind == null) {
      kind =
          Set.of(DetectorKind.LEVEL_SHIFT).equals(detectors)
              ? AnomalyKind.SHIFT
              : AnomalyKind.POINT;
    }
    if (!Double.isFinite(slopePerMinute) || (kind != AnomalyKind.DRIFT && slopePerMinute != 0)) {
      throw new IllegalArgumentException(
          "slope per minute must be finite, and 0 unless a drift, was "
              + slopePerMinute
              + " for "
              + kind);
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0,1], was " + confidence);
    }
    if (!(score >= 0)) {
      throw new IllegalArgumentException("score must be >= 0, was " + score);
    }
    if (expectedLow > expectedHigh) {
      throw new IllegalArgumentException(
          "expected range is empty: " + expectedLow + " > " + expectedHigh);
    }
    detectors =
        detectors.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(detectors));
  }

  /**
   * Whether the value itself lies outside the expected range. It may not: a sustained shift, a
   * drift or a run of unusual values is reported on the evidence of many points, while the latest
   * one sits inside the range a single point is judged by.
   */
  public boolean outsideExpectedRange() {
    return value < expectedLow || value > expectedHigh;
  }

  /**
   * One line for logs and notifications that never says a value is outside a range it is inside:
   * {@code latency_ms = 1063 outside the expected 12.00..950.0}, or {@code latency_ms = 1063,
   * inside the expected 0.000..1547, but its recent values moved up}; a drift says its rate: {@code
   * memory_used_bytes = 4.730e+09, drifting up by 4.300e+07 a minute (expected ...)}.
   */
  public String describe() {
    String range = String.format(java.util.Locale.ROOT, "%.4g..%.4g", expectedLow, expectedHigh);
    String shown = String.format(java.util.Locale.ROOT, "%.4g", value);
    if (kind == AnomalyKind.DRIFT) {
      return series
          + " = "
          + shown
          + String.format(
              java.util.Locale.ROOT,
              ", drifting %s by %.4g a minute (expected %s)",
              slopePerMinute >= 0 ? "up" : "down",
              Math.abs(slopePerMinute),
              range);
    }
    if (outsideExpectedRange()) {
      return series + " = " + shown + " outside the expected " + range;
    }
    return series
        + " = "
        + shown
        + ", inside the expected "
        + range
        + ", but its recent values moved "
        + (direction == Direction.UP ? "up" : "down");
  }
}
