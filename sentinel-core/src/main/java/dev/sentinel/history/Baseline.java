package dev.sentinel.history;

/**
 * What a series usually does at a time of day: the statistics of the values found in the windows of
 * a {@link BaselineQuery}. Percentiles are nearest-rank, as in {@link Percentiles}.
 */
public record Baseline(long count, double mean, double p50, double p95, double p99) {

  public Baseline {
    if (count < 1) {
      throw new IllegalArgumentException("a baseline needs at least one point, had " + count);
    }
    if (!(p50 <= p95 && p95 <= p99)) {
      throw new IllegalArgumentException(
          "baseline percentiles must be ordered, were " + p50 + ", " + p95 + ", " + p99);
    }
  }
}
