package dev.sentinel.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PagerDutySignatureTest {

  private static final String SECRET = "pd-webhook-secret-0123456789";
  private static final String BODY =
      "{\"event\":{\"id\":\"e1\",\"event_type\":\"incident.resolved\"}}";

  private final PagerDutySignature signature = new PagerDutySignature(SECRET);

  @Test
  void a_body_signed_with_the_secret_is_valid() {
    assertThat(signature.check(PagerDutySignature.sign(SECRET, BODY), BODY))
        .isEqualTo(PagerDutySignature.Verdict.VALID);
  }

  @Test
  void the_signature_is_the_hex_hmac_sha256_of_the_body() {
    // The well-known vector, as `openssl dgst -sha256 -hmac key` computes it.
    assertThat(PagerDutySignature.sign("key", "The quick brown fox jumps over the lazy dog"))
        .isEqualTo("v1=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }

  @Test
  void one_match_among_several_signatures_is_enough_as_during_a_rotation() {
    String header = "v1=" + "0".repeat(64) + ", " + PagerDutySignature.sign(SECRET, BODY);
    assertThat(signature.check(header, BODY)).isEqualTo(PagerDutySignature.Verdict.VALID);
  }

  @Test
  void another_secret_or_another_body_is_forged() {
    assertThat(signature.check(PagerDutySignature.sign("another-secret-0123456789", BODY), BODY))
        .isEqualTo(PagerDutySignature.Verdict.FORGED);
    assertThat(signature.check(PagerDutySignature.sign(SECRET, BODY), BODY + " "))
        .isEqualTo(PagerDutySignature.Verdict.FORGED);
  }

  @Test
  void no_header_or_no_v1_signature_is_missing() {
    assertThat(signature.check(null, BODY)).isEqualTo(PagerDutySignature.Verdict.MISSING);
    assertThat(signature.check("", BODY)).isEqualTo(PagerDutySignature.Verdict.MISSING);
    assertThat(signature.check("v0=abc", BODY)).isEqualTo(PagerDutySignature.Verdict.MISSING);
  }

  @Test
  void an_empty_secret_is_refused() {
    assertThatThrownBy(() -> new PagerDutySignature(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
