package dev.sentinel.history;

/** Whether the {@link TelemetryWriter} reaches its store. */
public enum WriterStatus {
  /** The last write succeeded (or none was needed yet). */
  UP,
  /** The last write failed: points are held in the retry buffer, and dropped once it is full. */
  DEGRADED
}
