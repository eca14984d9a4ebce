package dev.sentinel.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.notifier.SlackSignature.Verdict;
import dev.sentinel.testing.ManualClock;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {

  private final ManualClock clock = new ManualClock(1_795_867_200_000L);
  private final SlackSignature signature =
      new SlackSignature("8f742231b10e8888abcd99yyyzzz85a5", clock);
  private final String body = "payload=%7B%22type%22%3A%22block_actions%22%7D";

  @Test
  void a_request_signed_with_the_secret_now_is_valid() {
    String now = "1795867200";
    assertThat(
            signature.check(
                now, SlackSignature.sign("8f742231b10e8888abcd99yyyzzz85a5", now, body), body))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void a_changed_body_or_another_secret_is_forged() {
    String now = "1795867200";
    String signed = SlackSignature.sign("8f742231b10e8888abcd99yyyzzz85a5", now, body);
    assertThat(signature.check(now, signed, body + "x")).isEqualTo(Verdict.FORGED);
    assertThat(signature.check(now, SlackSignature.sign("guess", now, body), body))
        .isEqualTo(Verdict.FORGED);
    assertThat(signature.check(now, "v0=", body)).isEqualTo(Verdict.FORGED);
  }

  @Test
  void a_timestamp_more_than_five_minutes_old_is_stale_even_when_signed() {
    String old = Long.toString(1_795_867_200L - 301);
    assertThat(
            signature.check(
                old, SlackSignature.sign("8f742231b10e8888abcd99yyyzzz85a5", old, body), body))
        .isEqualTo(Verdict.STALE);
    String edge = Long.toString(1_795_867_200L - 300);
    assertThat(
            signature.check(
                edge, SlackSignature.sign("8f742231b10e8888abcd99yyyzzz85a5", edge, body), body))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void missing_headers_are_refused() {
    assertThat(signature.check(null, "v0=ab", body)).isEqualTo(Verdict.MISSING);
    assertThat(signature.check("1795867200", null, body)).isEqualTo(Verdict.MISSING);
    assertThat(signature.check("yesterday", "v0=ab", body)).isEqualTo(Verdict.MISSING);
  }
}
