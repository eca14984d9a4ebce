package dev.sentinel.history;

/**
 * The points of one series that fall into {@code [startMillis, startMillis + step)}: how many, and
 * their mean, minimum and maximum. Buckets are aligned to multiples of the step since the epoch, so
 * the same step gives the same bucket edges on every store and every query.
 */
public record Bucket(long startMillis, long count, double mean, double min, double max) {

  public Bucket {
    if (count < 1) {
      throw new IllegalArgumentException("a bucket holds at least one point, had " + count);
    }
    if (min > max) {
      throw new IllegalArgumentException("min (" + min + ") must not exceed max (" + max + ")");
    }
    // A database's avg can land a rounding error outside [min, max] when all values are equal.
    mean = Math.max(min, Math.min(max, mean));
  }

  /** The sum of the bucket's values, which a moving average weights by. */
  public double sum() {
    return mean * count;
  }
}
