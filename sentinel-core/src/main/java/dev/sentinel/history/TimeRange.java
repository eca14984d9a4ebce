package dev.sentinel.history;

import java.time.Duration;

/** A half-open interval of epoch milliseconds, {@code [fromMillis, toMillis)}. */
public record TimeRange(long fromMillis, long toMillis) {

  /** Upper bound on the buckets one query may return, so that a typo in a step cannot OOM us. */
  public static final int MAX_BUCKETS = 100_000;

  public TimeRange {
    if (fromMillis < 0) {
      throw new IllegalArgumentException("fromMillis must not be negative, was " + fromMillis);
    }
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException(
          "toMillis (" + toMillis + ") must not be before fromMillis (" + fromMillis + ")");
    }
  }

  public static TimeRange of(long fromMillis, long toMillis) {
    return new TimeRange(fromMillis, toMillis);
  }

  public long lengthMillis() {
    return toMillis - fromMillis;
  }

  /**
   * The step in milliseconds, once checked: at least one second, and at most {@link #MAX_BUCKETS}
   * steps over this range.
   */
  public long bucketMillis(Duration step) {
    long millis = step.toMillis();
    if (millis < 1_000) {
      throw new IllegalArgumentException("step must be at least 1 s, was " + step);
    }
    if (lengthMillis() / millis > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "a step of " + step + " makes more than " + MAX_BUCKETS + " buckets over " + this);
    }
    return millis;
  }

  public boolean contains(long timestampMillis) {
    return timestampMillis >= fromMillis && timestampMillis < toMillis;
  }
}
