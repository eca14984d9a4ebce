package dev.sentinel.verify;

import dev.sentinel.detect.Direction;
import dev.sentinel.ingest.SeriesKey;

/**
 * One symptom of an incident: a series, which way it went wrong, and the range it should return to.
 * Part of a {@link VerifyProgress}, so the range is the one taken when the verification began even
 * when another instance takes the next reading.
 */
public record Symptom(SeriesKey series, Direction direction, double low, double high) {

  /** Slack around a range, as a share of its width: a value at the very edge is not sick. */
  private static final double TOLERANCE = 0.1;

  /** How far outside its range the value is, in range widths; 0 or less is inside. */
  double excess(double value) {
    double width = Math.max(high - low, Math.abs(high) * 1e-6 + 1e-12);
    double beyond = direction == Direction.UP ? value - high : low - value;
    return beyond / width - TOLERANCE;
  }
}
