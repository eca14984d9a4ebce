package dev.sentinel.history;

/** One stored value of a series at an epoch-millisecond timestamp. */
public record StoredPoint(long timestampMillis, double value) {

  public StoredPoint {
    if (timestampMillis < 0) {
      throw new IllegalArgumentException("timestamp must not be negative, was " + timestampMillis);
    }
  }
}
