package dev.sentinel.history;

import java.time.Duration;

/**
 * How the {@link TelemetryWriter} batches and how much it holds while the store is down.
 *
 * @param batchPoints a batch is written once it holds this many points
 * @param flushInterval a batch that is not full is written this long after its first point
 * @param bufferPoints the most points held (filling, waiting and being retried); points beyond it
 *     are dropped and counted ({@code telemetry.buffer.points})
 * @param initialBackoff the wait before the first retry; it doubles with each failure
 * @param maxBackoff the longest wait between retries
 */
public record WriterConfig(
    int batchPoints,
    Duration flushInterval,
    long bufferPoints,
    Duration initialBackoff,
    Duration maxBackoff) {

  public WriterConfig {
    if (batchPoints < 1) {
      throw new IllegalArgumentException("batchPoints must be positive, was " + batchPoints);
    }
    if (bufferPoints < batchPoints) {
      throw new IllegalArgumentException(
          "bufferPoints ("
              + bufferPoints
              + ") must hold at least one batch (batchPoints "
              + batchPoints
              + ")");
    }
    requirePositive("flushInterval", flushInterval);
    requirePositive("initialBackoff", initialBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff ("
              + maxBackoff
              + ") must not be shorter than initialBackoff ("
              + initialBackoff
              + ")");
    }
  }

  /**
   * 10 000-point batches (ClickHouse wants inserts of thousands of rows, not single rows), written
   * at least every second, and one million points of buffer: about 24 MB, and at 10 000 points/s a
   * store outage of 100 s before anything is dropped.
   */
  public static WriterConfig defaults() {
    return new WriterConfig(
        10_000, Duration.ofSeconds(1), 1_000_000, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  public WriterConfig withBufferPoints(long points) {
    return new WriterConfig(batchPoints, flushInterval, points, initialBackoff, maxBackoff);
  }

  private static void requirePositive(String name, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
