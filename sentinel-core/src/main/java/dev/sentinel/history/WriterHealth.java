package dev.sentinel.history;

/**
 * A snapshot of the {@link TelemetryWriter}: what a health endpoint and metrics report.
 *
 * @param status {@link WriterStatus#DEGRADED} from a failed write until the next good one
 * @param bufferedPoints points accepted and not yet written (filling, waiting or being retried)
 * @param droppedPoints points refused since start because the buffer was full or the writer closed
 * @param writtenPoints points written since start
 * @param consecutiveFailures failed writes since the last good one
 * @param lastError the message of the last failure, or null when none happened yet
 */
public record WriterHealth(
    WriterStatus status,
    long bufferedPoints,
    long droppedPoints,
    long writtenPoints,
    int consecutiveFailures,
    String lastError) {

  public WriterHealth {
    if (bufferedPoints < 0 || droppedPoints < 0 || writtenPoints < 0 || consecutiveFailures < 0) {
      throw new IllegalArgumentException("writer counters must not be negative");
    }
    if ((status == WriterStatus.DEGRADED) != (consecutiveFailures > 0)) {
      throw new IllegalArgumentException(
          "status " + status + " contradicts " + consecutiveFailures + " consecutive failures");
    }
  }
}
