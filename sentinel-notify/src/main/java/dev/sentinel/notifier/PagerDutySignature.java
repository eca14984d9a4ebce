package dev.sentinel.notifier;

/**
 * Checks that a webhook came from PagerDuty (webhooks v3): {@code X-PagerDuty-Signature} holds one
 * or more comma-separated {@code v1=} signatures, each the hex HMAC-SHA256 of the raw body keyed
 * with the subscription's secret; one match is enough (PagerDuty signs with the old and the new
 * secret while one is rotated). PagerDuty sends no timestamp to sign: the caller refuses an event
 * id it has seen before.
 */
public final class PagerDutySignature {

  /** Why a webhook was refused, or {@link #VALID}. */
  public enum Verdict {
    VALID,
    MISSING,
    FORGED
  }

  private final String secret;

  public PagerDutySignature(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("the PagerDuty webhook secret is empty");
    }
    this.secret = secret;
  }

  public Verdict check(String header, String body) {
    if (header == null || header.isBlank()) {
      return Verdict.MISSING;
    }
    String expected = sign(secret, body);
    boolean signed = false;
    for (String part : header.split(",")) {
      String signature = part.strip();
      if (signature.startsWith("v1=")) {
        signed = true;
        if (Hmac.same(expected, signature)) {
          return Verdict.VALID;
        }
      }
    }
    return signed ? Verdict.FORGED : Verdict.MISSING;
  }

  /** The signature PagerDuty sends for a body (and what tests sign with). */
  public static String sign(String secret, String body) {
    return "v1=" + Hmac.sha256Hex(secret, body);
  }
}
