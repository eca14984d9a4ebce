package dev.sentinel.history;

/**
 * A telemetry store could not do what was asked: the database is unreachable, refused the
 * statement, or answered something unreadable. Unchecked, like every Sentinel failure; the writer
 * treats it as "retry later".
 */
public class TelemetryStoreException extends RuntimeException {

  public TelemetryStoreException(String message) {
    super(message);
  }

  public TelemetryStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
