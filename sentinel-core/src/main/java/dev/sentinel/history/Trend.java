package dev.sentinel.history;

/**
 * The least-squares line through a series' points over a range: {@code value ≈ interceptAtStart +
 * slopePerHour × hours since the range's start}.
 */
public record Trend(long count, double slopePerHour, double interceptAtStart) {

  /**
   * The least-squares line from the moments a store computes in SQL, with x in hours since the
   * range's start: slope = cov(x, y) / var(x), intercept = mean(y) − slope × mean(x). Empty with
   * fewer than two points or no spread in time (var(x) = 0), where no line is defined.
   */
  public static java.util.Optional<Trend> fromMoments(
      long count, double covarianceXy, double varianceX, double meanX, double meanY) {
    if (count < 2 || !(varianceX > 0)) {
      return java.util.Optional.empty();
    }
    double slope = covarianceXy / varianceX;
    return java.util.Optional.of(new Trend(count, slope, meanY - slope * meanX));
  }

  public Trend {
    if (count < 2) {
      throw new IllegalArgumentException("a trend needs at least two points, had " + count);
    }
    if (!Double.isFinite(slopePerHour) || !Double.isFinite(interceptAtStart)) {
      throw new IllegalArgumentException(
          "trend must be finite, was slope " + slopePerHour + ", intercept " + interceptAtStart);
    }
  }
}
