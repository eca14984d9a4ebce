package dev.sentinel.notify;

/** What one attempt to deliver a notification came to. */
public sealed interface DeliveryResult {

  /** The receiver took it. */
  record Sent(String detail) implements DeliveryResult {}

  /**
   * Worth another try: a timeout, a connection refused, a 5xx, a 429.
   *
   * @param retryAfterMillis the receiver's own wish (Retry-After), or 0 for the usual backoff
   */
  record Transient(String reason, long retryAfterMillis) implements DeliveryResult {}

  /** Retrying cannot help: the receiver refused the request itself (a 4xx other than 429). */
  record Permanent(String reason) implements DeliveryResult {}
}
