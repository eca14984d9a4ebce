package dev.sentinel.incident;

/**
 * How the incident desk holds anomalies between detection and correlation.
 *
 * @param capacity anomalies held at most; when full, older anomalies of a series that has a newer
 *     one queued are merged away first, and only then are new anomalies shed (counted)
 * @param retryMaxMillis the longest pause between two tries while the incident store fails
 * @param giveUpSeconds an anomaly that still cannot be correlated after this long is dropped and
 *     counted, so that one anomaly the store always refuses cannot stall the desk for good
 */
public record DeskConfig(int capacity, long retryMaxMillis, long giveUpSeconds) {

  public DeskConfig {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    if (retryMaxMillis < 1) {
      throw new IllegalArgumentException("retryMaxMillis must be >= 1, was " + retryMaxMillis);
    }
    if (giveUpSeconds < 1) {
      throw new IllegalArgumentException("giveUpSeconds must be >= 1, was " + giveUpSeconds);
    }
  }

  /**
   * 10,000 anomalies: an incident storm over a few thousand series fits after merging, and the heap
   * cost (a few MB) is small. Ten minutes of retries ride out a PostgreSQL restart or fail-over.
   */
  public static DeskConfig defaults() {
    return new DeskConfig(10_000, 5_000, 600);
  }
}
