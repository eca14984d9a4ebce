package dev.sentinel.history;

/**
 * The distribution of a series' values over a range. Percentiles are nearest-rank values of the
 * stored points (not interpolated), so every reported percentile is a value that occurred.
 */
public record Percentiles(
    long count,
    double mean,
    double min,
    double p50,
    double p90,
    double p95,
    double p99,
    double max) {

  public Percentiles {
    if (count < 1) {
      throw new IllegalArgumentException("percentiles need at least one point, had " + count);
    }
    if (!(min <= p50 && p50 <= p90 && p90 <= p95 && p95 <= p99 && p99 <= max)) {
      throw new IllegalArgumentException(
          "percentiles must be ordered min <= p50 <= p90 <= p95 <= p99 <= max, were "
              + min
              + ", "
              + p50
              + ", "
              + p90
              + ", "
              + p95
              + ", "
              + p99
              + ", "
              + max);
    }
  }
}
