package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyConfigTest {

  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("sentinel.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void nothing_is_notified_by_default() {
    NotifyConfig notify = loader.load(null, Map.of()).notifications();
    assertThat(notify.slack().posts()).isFalse();
    assertThat(notify.pagerduty().routingKey()).isEmpty();
    assertThat(notify.webhooks()).isEmpty();
  }

  @Test
  void slack_pagerduty_webhooks_and_retry_bounds_are_read_from_yaml() throws Exception {
    NotifyConfig notify =
        loader
            .load(
                yaml(
                    """
                    notify:
                      consoleUrl: https://sentinel.example.com
                      slack: {webhookUrl: "https://hooks.slack.com/services/T/B/X", signingSecret: s3cr3t,
                              approvers: ["U123=alice", "U456=bob"]}
                      pagerduty: {routingKey: R0UT1NG}
                      webhooks:
                        - {name: ops, url: "https://ops.example.com/hook", secret: 0123456789abcdef}
                      retry: {maxAttempts: 3, firstDelayMillis: 500, maxDelayMillis: 5000}
                    """),
                Map.of())
            .notifications();

    assertThat(notify.slack().approverNames())
        .containsEntry("U123", "alice")
        .containsEntry("U456", "bob");
    assertThat(notify.pagerduty().routingKey()).isEqualTo("R0UT1NG");
    assertThat(notify.webhooks())
        .singleElement()
        .satisfies(w -> assertThat(w.name()).isEqualTo("ops"));
    assertThat(notify.retry().policy().maxAttempts()).isEqualTo(3);
  }

  @Test
  void secrets_come_from_the_environment() {
    NotifyConfig notify =
        loader
            .load(
                null,
                Map.of(
                    "SENTINEL_NOTIFY_SLACK_SIGNING_SECRET", "from-env",
                    "SENTINEL_NOTIFY_SLACK_APPROVERS", "U1=alice,U2=bob",
                    "SENTINEL_NOTIFY_PAGERDUTY_ROUTING_KEY", "pd-key"))
            .notifications();

    assertThat(notify.slack().signingSecret()).isEqualTo("from-env");
    assertThat(notify.slack().approverNames()).containsOnlyKeys("U1", "U2");
    assertThat(notify.pagerduty().routingKey()).isEqualTo("pd-key");
  }

  @Test
  void approvers_without_a_signing_secret_are_refused_with_the_key() throws Exception {
    assertThatThrownBy(
            () -> loader.load(yaml("notify:\n  slack: {approvers: [\"U1=alice\"]}\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("notify.slack")
        .hasMessageContaining("signingSecret");
  }

  @Test
  void a_webhook_with_a_short_secret_or_a_bad_url_is_refused() throws Exception {
    assertThatThrownBy(
            () ->
                loader.load(
                    yaml("notify:\n  webhooks: [{name: a, url: \"https://x\", secret: short}]\n"),
                    Map.of()))
        .hasMessageContaining("notify.webhooks")
        .hasMessageContaining("at least 16");
    assertThatThrownBy(
            () ->
                loader.load(
                    yaml("notify:\n  pagerduty: {routingKey: k, url: \"ftp://x\"}\n"), Map.of()))
        .hasMessageContaining("pagerduty.url must be an http(s) URL");
  }

  @Test
  void an_unknown_notify_key_names_the_known_ones() throws Exception {
    assertThatThrownBy(() -> loader.load(yaml("notify:\n  slak: {}\n"), Map.of()))
        .hasMessageContaining("unknown configuration key 'notify.slak'")
        .hasMessageContaining("slack");
  }
}
