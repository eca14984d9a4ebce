package dev.sentinel.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.Notification;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Receiver slack = new Receiver(Receiver.Answer.of(200, "ok"));

  private static final Notification.ApprovalNeeded NEEDED =
      new Notification.ApprovalNeeded(
          "inc-3",
          1,
          "db",
          "HIGH",
          "restart db",
          "1. restart db (HIGH, ~30 s, dependents)",
          "HIGH",
          "risk HIGH is above the auto-approval limit LOW");

  SlackNotifierTest() throws Exception {}

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void an_approval_request_is_a_block_kit_message_with_approve_and_reject_buttons()
      throws Exception {
    SlackNotifier webhook =
        new SlackNotifier(slack.url("/services/T/B/X"), "", "", "", "", Duration.ofSeconds(5));

    assertThat(webhook.deliver(NEEDED)).isInstanceOf(DeliveryResult.Sent.class);

    String headline = ":raising_hand: Incident inc-3 (HIGH, db) needs a decision: restart db";
    assertThat(JSON.readTree(slack.requests.getFirst().body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"text": "%s",
                 "blocks": [
                   {"type": "section", "text": {"type": "mrkdwn", "text": "%s"}},
                   {"type": "section", "fields": [
                      {"type": "mrkdwn", "text": "*Risk*\\nHIGH"},
                      {"type": "mrkdwn", "text": "*Why a human*\\nrisk HIGH is above the auto-approval limit LOW"}]},
                   {"type": "section", "text": {"type": "mrkdwn", "text": "*Steps*\\n1. restart db (HIGH, ~30 s, dependents)"}},
                   {"type": "actions", "block_id": "sentinel_decision", "elements": [
                      {"type": "button", "text": {"type": "plain_text", "text": "Approve"},
                       "action_id": "sentinel_approve", "style": "primary", "value": "inc-3"},
                      {"type": "button", "text": {"type": "plain_text", "text": "Reject"},
                       "action_id": "sentinel_reject", "style": "danger", "value": "inc-3"}]}]}
                """
                    .formatted(headline, headline)));
  }

  @Test
  void with_a_token_the_request_is_posted_then_replaced_by_the_outcome() throws Exception {
    slack.then(Receiver.Answer.of(200, "{\"ok\":true,\"channel\":\"C42\",\"ts\":\"1795.0001\"}"));
    slack.then(Receiver.Answer.of(200, "{\"ok\":true,\"channel\":\"C42\",\"ts\":\"1795.0001\"}"));
    SlackNotifier api =
        new SlackNotifier("", "xoxb-1", "#ops", slack.url("/api"), "", Duration.ofSeconds(5));

    assertThat(api.deliver(NEEDED)).isInstanceOf(DeliveryResult.Sent.class);
    assertThat(
            api.deliver(
                new Notification.IncidentUpdated(
                    "inc-3", 2, "approved", "slack:U1", "approved by slack:U1")))
        .isInstanceOf(DeliveryResult.Sent.class);

    Receiver.Request posted = slack.requests.get(0);
    assertThat(posted.path()).isEqualTo("/api/chat.postMessage");
    assertThat(posted.header("Authorization")).isEqualTo("Bearer xoxb-1");
    assertThat(JSON.readTree(posted.body()).path("channel").asText()).isEqualTo("#ops");
    Receiver.Request updated = slack.requests.get(1);
    assertThat(updated.path()).isEqualTo("/api/chat.update");
    JsonNode update = JSON.readTree(updated.body());
    assertThat(update.path("channel").asText()).isEqualTo("C42");
    assertThat(update.path("ts").asText()).isEqualTo("1795.0001");
    assertThat(update.path("text").asText())
        .isEqualTo(":white_check_mark: Incident inc-3: approved by slack:U1");
    assertThat(update.path("blocks").toString()).doesNotContain("button");
  }

  @Test
  void slack_api_errors_are_permanent_except_rate_limits() {
    slack.then(Receiver.Answer.of(200, "{\"ok\":false,\"error\":\"ratelimited\"}"));
    slack.then(Receiver.Answer.of(200, "{\"ok\":false,\"error\":\"channel_not_found\"}"));
    SlackNotifier api =
        new SlackNotifier("", "xoxb-1", "#nowhere", slack.url("/api"), "", Duration.ofSeconds(5));

    assertThat(api.deliver(NEEDED)).isInstanceOf(DeliveryResult.Transient.class);
    assertThat(api.deliver(NEEDED))
        .isEqualTo(new DeliveryResult.Permanent("chat.postMessage: channel_not_found"));
  }
}
