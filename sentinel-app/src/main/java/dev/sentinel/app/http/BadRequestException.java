package dev.sentinel.app.http;

/** A request the API cannot act on; the message names the parameter. Mapped to HTTP 400. */
public final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }
}
