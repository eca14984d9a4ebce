package dev.sentinel.ingest;

/** A batch larger than everything the bus may hold at once: it must be split by the sender. */
public final class BatchTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BatchTooLargeException(String message) {
    super(message);
  }

  public BatchTooLargeException(int points, long capacity) {
    super(
        "a batch of "
            + points
            + " points exceeds the pipeline capacity of "
            + capacity
            + " points; send smaller batches");
  }
}
