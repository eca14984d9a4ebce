package dev.sentinel.app.http;

/**
 * A request without a usable API key (401) or with a key whose role is too low (403). The message
 * says which and what to do; it never repeats the key.
 */
final class AccessDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The {@code error} attribute of the {@code WWW-Authenticate} challenge (RFC 6750). */
  enum Reason {
    MISSING(401, null),
    INVALID(401, "invalid_token"),
    FORBIDDEN(403, "insufficient_scope");

    final int status;
    final String challengeError;

    Reason(int status, String challengeError) {
      this.status = status;
      this.challengeError = challengeError;
    }
  }

  private final Reason reason;

  AccessDeniedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }

  /** The {@code WWW-Authenticate} header value for this refusal. */
  String challenge() {
    return reason.challengeError == null
        ? "Bearer realm=\"sentinel\""
        : "Bearer realm=\"sentinel\", error=\"" + reason.challengeError + "\"";
  }
}
