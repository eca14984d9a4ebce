package dev.sentinel.app.ingest;

/**
 * Estimates quantiles from histogram buckets by linear interpolation within the bucket that holds
 * the rank, as Prometheus' {@code histogram_quantile} does: observations are assumed spread evenly
 * over their bucket. Open-ended buckets are closed with the histogram's min and max when it has
 * them, else with the nearest finite bound (so a quantile in the +Inf bucket reports its lower
 * bound, an underestimate).
 */
final class HistogramQuantiles {

  private HistogramQuantiles() {}

  /**
   * Quantile {@code q} of an explicit-bounds histogram: {@code counts[i]} observations in {@code
   * (bounds[i-1], bounds[i]]}, the first bucket open below and the last open above.
   *
   * @param min the smallest observation, or NaN when unknown
   * @param max the largest observation, or NaN when unknown
   * @return the estimate, or NaN when the histogram holds no observation
   */
  static double explicit(double q, double[] bounds, long[] counts, double min, double max) {
    int buckets = counts.length;
    double[] lower = new double[buckets];
    double[] upper = new double[buckets];
    for (int i = 0; i < buckets; i++) {
      lower[i] = i == 0 ? Double.NaN : bounds[i - 1];
      upper[i] = i < bounds.length ? bounds[i] : Double.NaN;
    }
    if (buckets > 0) {
      // Below the first bound: from min, else from 0 for a positive bound (Prometheus' choice for
      // non-negative measurements such as durations), else the bound itself.
      lower[0] = !Double.isNaN(min) ? min : (bounds.length > 0 && bounds[0] > 0 ? 0 : upper[0]);
      // Above the last bound: up to max, else the last bound itself.
      int last = buckets - 1;
      upper[last] = !Double.isNaN(max) ? max : lower[last];
      if (Double.isNaN(lower[0])) {
        lower[0] = upper[0];
      }
      if (Double.isNaN(upper[last])) {
        upper[last] = lower[last];
      }
    }
    return clamp(interpolate(q, lower, upper, counts), min, max);
  }

  /**
   * Quantile {@code q} of an exponential histogram: bucket {@code index} covers {@code (base^index,
   * base^(index+1)]} with {@code base = 2^(2^-scale)}, negative buckets mirror it, and the zero
   * bucket counts observations at (about) zero.
   */
  static double exponential(
      double q,
      int scale,
      long zeroCount,
      int positiveOffset,
      long[] positive,
      int negativeOffset,
      long[] negative,
      double min,
      double max) {
    int buckets = negative.length + 1 + positive.length;
    double[] lower = new double[buckets];
    double[] upper = new double[buckets];
    long[] counts = new long[buckets];
    double base = Math.pow(2, Math.pow(2, -scale));
    int at = 0;
    // Most negative first: the highest negative index holds the largest magnitudes.
    for (int k = negative.length - 1; k >= 0; k--, at++) {
      int index = negativeOffset + k;
      lower[at] = -Math.pow(base, index + 1);
      upper[at] = -Math.pow(base, index);
      counts[at] = negative[k];
    }
    lower[at] = 0;
    upper[at] = 0;
    counts[at++] = zeroCount;
    for (int k = 0; k < positive.length; k++, at++) {
      int index = positiveOffset + k;
      lower[at] = Math.pow(base, index);
      upper[at] = Math.pow(base, index + 1);
      counts[at] = positive[k];
    }
    return clamp(interpolate(q, lower, upper, counts), min, max);
  }

  private static double interpolate(double q, double[] lower, double[] upper, long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long below = 0;
    int lastFilled = -1;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] <= 0) {
        continue;
      }
      lastFilled = i;
      if (below + counts[i] >= rank) {
        double fraction = (rank - below) / counts[i];
        return lower[i] + (upper[i] - lower[i]) * fraction;
      }
      below += counts[i];
    }
    return upper[lastFilled];
  }

  private static double clamp(double value, double min, double max) {
    if (!Double.isNaN(min) && value < min) {
      return min;
    }
    if (!Double.isNaN(max) && value > max) {
      return max;
    }
    return value;
  }
}
