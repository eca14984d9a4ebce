package dev.sentinel.notifier;

import java.time.Clock;

/**
 * Checks that a request came from Slack: {@code X-Slack-Signature} must be {@code v0=} and the hex
 * HMAC-SHA256, keyed with the app's signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<raw
 * body>}; the timestamp must be within five minutes of now, so a captured request cannot be
 * replayed later (within the window, the caller refuses a signature it has seen before).
 */
public final class SlackSignature {

  /** Slack's own tolerance for clock skew and delay. */
  public static final long MAX_AGE_SECONDS = 5 * 60;

  /** Why a request was refused, or {@link #VALID}. */
  public enum Verdict {
    VALID,
    MISSING,
    STALE,
    FORGED
  }

  private final String signingSecret;
  private final Clock clock;

  public SlackSignature(String signingSecret, Clock clock) {
    if (signingSecret == null || signingSecret.isBlank()) {
      throw new IllegalArgumentException("the Slack signing secret is empty");
    }
    this.signingSecret = signingSecret;
    this.clock = clock;
  }

  public Verdict check(String timestamp, String signature, String body) {
    if (timestamp == null || signature == null || !timestamp.matches("\\d{1,12}")) {
      return Verdict.MISSING;
    }
    long age = clock.millis() / 1000 - Long.parseLong(timestamp);
    if (Math.abs(age) > MAX_AGE_SECONDS) {
      return Verdict.STALE;
    }
    return Hmac.same(sign(signingSecret, timestamp, body), signature)
        ? Verdict.VALID
        : Verdict.FORGED;
  }

  /** The signature Slack sends for a body at a time (and what tests sign with). */
  public static String sign(String signingSecret, String timestamp, String body) {
    return "v0=" + Hmac.sha256Hex(signingSecret, "v0:" + timestamp + ":" + body);
  }
}
