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
    Set<DetectorKind> detectors) {

  public Anomaly {
    Objects.requireNonNull(series, "series");
    Objects.requireNonNull(direction, "direction");
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
}
