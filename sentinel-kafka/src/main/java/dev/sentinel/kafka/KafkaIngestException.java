package dev.sentinel.kafka;

/**
 * Kafka did not do what ingestion needs: a dead letter or a published batch was not acknowledged.
 * The points concerned were not committed (consumer) or not accepted (publisher), so nothing is
 * lost; the caller retries or stops.
 */
public final class KafkaIngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaIngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
