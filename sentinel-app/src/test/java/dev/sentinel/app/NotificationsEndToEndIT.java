package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.notifier.SlackSignature;
import dev.sentinel.notifier.WebhookNotifier;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Humans in the loop, end to end, against a real {@code sentinel run --demo}: a plan too risky to
 * run alone is posted to Slack with buttons, paged to PagerDuty and sent to a signed webhook (which
 * fails twice first, so the delivery retries); a forged click, a click by someone who is not an
 * approver and a replayed click are refused and audited; the approver's genuine click approves the
 * plan; PagerDuty is acknowledged and resolved, the Slack message replaced with the outcome.
 */
class NotificationsEndToEndIT {

  private static final String ADMIN = "snt_notifications_test_admin_key_0123456789";
  private static final String SIGNING_SECRET = "slack-signing-secret-for-the-test";
  private static final String WEBHOOK_SECRET = "0123456789abcdef-webhook";
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @TempDir Path dataDir;

  @Test
  void a_risky_plan_is_announced_everywhere_and_approved_from_slack() throws Exception {
    try (LocalReceivers receivers = new LocalReceivers()) {
      receivers.failFirst("/hook", 2);
      Path config = dataDir.resolve("sentinel.yaml");
      Files.writeString(
          config,
          """
          remediation:
            playbook:
              plays:
                error-burst: [{operation: restart, parameters: {}, downtimeSeconds: 600, radius: SERVICE}]
          notify:
            consoleUrl: http://console.example
            slack:
              webhookUrl: %s
              signingSecret: %s
              approvers: ["U0ALICE=alice"]
            pagerduty: {routingKey: R0UT1NG, url: %s}
            webhooks: [{name: ops, url: %s, secret: %s}]
            retry: {maxAttempts: 6, firstDelayMillis: 200, maxDelayMillis: 1000}
          """
              .formatted(
                  receivers.url("/slack/webhook"),
                  SIGNING_SECRET,
                  receivers.url("/pagerduty"),
                  receivers.url("/hook"),
                  WEBHOOK_SECRET));
      Map<String, String> environment =
          Map.of(
              "SENTINEL_ADMIN_KEY", ADMIN,
              "SENTINEL_DEMO_AUTO_FAULTS", "false",
              "SENTINEL_DEMO_BACKFILL_HOURS", "6",
              "SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8");
      try (SentinelProcess sentinel =
          SentinelProcess.start(
              environment,
              "run",
              "--demo",
              "--port",
              "0",
              "--data-dir",
              dataDir.toString(),
              "--config",
              config.toString())) {
        String base = sentinel.awaitReady(Duration.ofSeconds(60));
        SentinelApi api = new SentinelApi(base, ADMIN);
        api.injectFault("error_burst", "checkout");
        String id = api.awaitIncident("checkout", PATIENCE);
        api.awaitStatus(id, "awaiting_approval", PATIENCE);

        // Slack: the approval request with its buttons; PagerDuty: the trigger.
        JsonNode request =
            receivers
                .await(
                    "/slack/webhook",
                    r -> r.body().contains("sentinel_approve") && r.body().contains(id),
                    PATIENCE)
                .json();
        JsonNode buttons = request.at("/blocks").findParent("elements").get("elements");
        assertThat(buttons.get(0).get("action_id").asText()).isEqualTo("sentinel_approve");
        assertThat(buttons.get(0).get("value").asText()).isEqualTo(id);
        assertThat(buttons.get(1).get("action_id").asText()).isEqualTo("sentinel_reject");
        assertThat(request.toString()).contains("*Risk*\\nHIGH");
        JsonNode trigger =
            receivers
                .await(
                    "/pagerduty",
                    // Other services' incidents (the knock-on ones) are paged too: pick ours.
                    r ->
                        r.body().contains("\"trigger\"")
                            && r.json().path("dedup_key").asText().equals(id),
                    PATIENCE)
                .json();
        assertThat(trigger.get("dedup_key").asText()).isEqualTo(id);
        assertThat(trigger.get("routing_key").asText()).isEqualTo("R0UT1NG");

        // The incident's own message offers Acknowledge and Take over; Alice acknowledges.
        String response = receivers.url("/slack/response");
        assertThat(
                receivers
                    .await(
                        "/slack/webhook",
                        r -> r.body().contains("sentinel_acknowledge") && r.body().contains(id),
                        PATIENCE)
                    .body())
            .contains("sentinel_take_over");
        String acknowledge = click("U0ALICE", "sentinel_acknowledge", id, response);
        String acknowledgeTs = now();
        assertThat(
                slack(
                    base,
                    acknowledge,
                    SlackSignature.sign(SIGNING_SECRET, acknowledgeTs, acknowledge),
                    acknowledgeTs))
            .isEqualTo(200);
        assertThat(
                api.get("/api/v1/incidents/" + id).body().at("/incident/acknowledgedBy").asText())
            .isEqualTo("slack:alice");
        assertThat(
                receivers
                    .await(
                        "/slack/response",
                        r -> r.json().path("text").asText().contains("acknowledged by slack:alice"),
                        PATIENCE)
                    .json()
                    .path("response_type")
                    .asText())
            .isEqualTo("ephemeral");

        // Refused clicks: forged, not an approver, replayed.
        String forged = click("U0ALICE", id, response);
        assertThat(slack(base, forged, SlackSignature.sign("guessed", now(), forged), now()))
            .isEqualTo(401);
        String mallory = click("U0MALLORY", id, response);
        String ts = now();
        assertThat(slack(base, mallory, SlackSignature.sign(SIGNING_SECRET, ts, mallory), ts))
            .isEqualTo(403);
        String alice = click("U0ALICE", id, response);
        String aliceTs = now();
        String signature = SlackSignature.sign(SIGNING_SECRET, aliceTs, alice);
        assertThat(slack(base, alice, signature, aliceTs)).isEqualTo(200);
        assertThat(slack(base, alice, signature, aliceTs)).isEqualTo(401);

        JsonNode resolved =
            api.await(
                "/api/v1/incidents/" + id,
                body -> body.at("/incident/status").asText().equals("resolved"),
                PATIENCE);
        assertThat(resolved.at("/timeline").toString()).contains("approved by slack:alice");

        // The message with the buttons is replaced by the outcome through Slack's response_url.
        JsonNode replaced =
            receivers
                .await(
                    "/slack/response", r -> r.json().path("replace_original").asBoolean(), PATIENCE)
                .json();
        assertThat(replaced.get("text").asText()).contains("approved by slack:alice");
        assertThat(replaced.toString()).doesNotContain("sentinel_approve");
        // Mallory was told, privately, that nothing happened.
        JsonNode told =
            receivers
                .await(
                    "/slack/response",
                    r ->
                        r.json().path("response_type").asText().equals("ephemeral")
                            && r.json().path("text").asText().contains("not an approver"),
                    PATIENCE)
                .json();
        assertThat(told.get("text").asText()).contains("not an approver");
        // PagerDuty: acknowledged on approval, resolved on resolution, same dedup key.
        receivers.await(
            "/pagerduty",
            r -> r.body().contains("\"acknowledge\"") && r.body().contains(id),
            PATIENCE);
        receivers.await(
            "/pagerduty", r -> r.body().contains("\"resolve\"") && r.body().contains(id), PATIENCE);

        // The webhook: every kind of event for the incident, each correctly signed, after retries.
        for (String kind :
            List.of(
                "incident.opened", "approval.needed", "incident.updated", "incident.resolved")) {
          LocalReceivers.Received event =
              receivers.await(
                  "/hook",
                  r ->
                      r.json().path("kind").asText().equals(kind)
                          && r.json().path("incidentId").asText().equals(id),
                  PATIENCE);
          assertThat(event.headers().get("x-sentinel-signature"))
              .isEqualTo(
                  WebhookNotifier.signature(
                      WEBHOOK_SECRET, event.headers().get("x-sentinel-timestamp"), event.body()));
          assertThat(event.headers().get("x-sentinel-event")).isEqualTo(kind);
        }
        List<String> firstBodies = new ArrayList<>();
        receivers.received("/hook").forEach(r -> firstBodies.add(r.body()));
        assertThat(firstBodies.subList(1, firstBodies.size()))
            .as("the first delivery, refused with 503, was sent again")
            .contains(firstBodies.get(0));

        String metrics = api.getText("/metrics");
        assertThat(metrics)
            .contains(
                "sentinel_notifications_total{channel=\"webhook:ops\",outcome=\"retried\"} 2.0")
            .contains("sentinel_notifications_total{channel=\"pagerduty\",outcome=\"delivered\"}")
            .contains("sentinel_notifications_outbox{status=\"pending\"}");

        JsonNode audit = api.get("/api/v1/audit?limit=1000").body().get("entries");
        List<String> refusals = new ArrayList<>();
        for (JsonNode entry : audit) {
          if (entry.get("action").asText().equals("approval.refused")) {
            refusals.add(entry.at("/details/reason").asText());
          }
        }
        assertThat(refusals).containsExactlyInAnyOrder("forged", "unauthorised", "replayed");
        assertThat(audit.toString()).contains("\"approval.granted\"").contains("slack:alice");
        assertThat(audit.toString()).contains("\"notification.delivered\"");
      }
    }
  }

  private static String now() {
    return Long.toString(System.currentTimeMillis() / 1000);
  }

  private static String click(String user, String incident, String responseUrl) {
    return click(user, "sentinel_approve", incident, responseUrl);
  }

  private static String click(String user, String action, String incident, String responseUrl) {
    String payload =
        "{\"type\":\"block_actions\",\"user\":{\"id\":\""
            + user
            + "\",\"username\":\""
            + user
            + "\"},"
            + "\"actions\":[{\"action_id\":\""
            + action
            + "\",\"value\":\""
            + incident
            + "\",\"type\":\"button\"}],\"response_url\":\""
            + responseUrl
            + "\"}";
    return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
  }

  private static int slack(String base, String body, String signature, String timestamp)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/slack/interactions"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Slack-Request-Timestamp", timestamp)
            .header("X-Slack-Signature", signature)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }
}
