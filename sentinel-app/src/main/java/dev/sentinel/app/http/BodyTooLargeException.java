package dev.sentinel.app.http;

/**
 * A request body that crossed its endpoint's limit, as sent or decompressed. Mapped to HTTP 413;
 * the rest of the body is never read.
 */
public final class BodyTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BodyTooLargeException(String message) {
    super(message);
  }
}
