package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident controls over real HTTP on a real {@code sentinel run --demo}: an operator takes a
 * waiting incident over (its plan can no longer be approved), hands it back (a fresh run asks
 * again), assigns it, sets its severity and resolves it by hand; malformed bodies get 400, unknown
 * incidents 404, controls that do not apply 409, and every control is in the audit trail. A second
 * incident is acknowledged and resolved from PagerDuty's signed webhooks, and Sentinel's own
 * acknowledge reaches PagerDuty (a local receiver) as an Events v2 acknowledge.
 */
class IncidentControlsIT {

  private static final String ADMIN = "snt_controls_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(150);
  private static final String PAGERDUTY_SECRET = "pd-webhook-secret-0123456789";

  @TempDir Path dataDir;

  @Test
  void an_operator_takes_over_hands_back_and_resolves_a_waiting_incident() throws Exception {
    Path config = dataDir.resolve("sentinel.yaml");
    try (LocalReceivers pagerDuty = new LocalReceivers()) {
      // A long restart is high risk: the plan waits for a human.
      Files.writeString(
          config,
          """
        remediation:
          playbook:
            plays:
              error-burst: [{operation: restart, parameters: {}, downtimeSeconds: 600, radius: SERVICE}]
              latency-spike: [{operation: restart, parameters: {}, downtimeSeconds: 600, radius: SERVICE}]
        notify:
          pagerduty: {routingKey: R0UT1NG, url: %s, webhookSecret: %s}
        """
              .formatted(pagerDuty.url("/pagerduty"), PAGERDUTY_SECRET));
      try (SentinelProcess sentinel =
          SentinelProcess.start(
              Map.of(
                  "SENTINEL_ADMIN_KEY", ADMIN,
                  "SENTINEL_DEMO_AUTO_FAULTS", "false",
                  "SENTINEL_DEMO_BACKFILL_HOURS", "6",
                  "SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8"),
              "run",
              "--demo",
              "--port",
              "0",
              "--data-dir",
              dataDir.toString(),
              "--config",
              config.toString())) {
        String base = sentinel.awaitReady(Duration.ofSeconds(60));
        SentinelApi admin = new SentinelApi(base, ADMIN);
        SentinelApi olivia = new SentinelApi(base, admin.createKey("olivia", "operator"));
        admin.injectFault("error_burst", "checkout");
        String id = admin.awaitIncident("checkout", PATIENCE);
        String path = "/api/v1/incidents/" + id;
        admin.awaitStatus(id, "awaiting_approval", PATIENCE);

        SentinelApi.Reply taken = olivia.post(path + "/take-over", "{\"reason\": \"mine\"}");
        assertThat(taken.status()).as(taken.body().toString()).isEqualTo(200);
        assertThat(taken.body().get("status").asText()).isEqualTo("escalated");
        // The actor is the key's name and id, as on every audited request.
        assertThat(taken.body().get("owner").asText()).matches("olivia \\[key_\\w+\\]");
        assertThat(taken.body().get("controls").toString()).contains("hand-back");
        assertThat(olivia.post(path + "/approve", "{}").status()).isEqualTo(409);
        assertThat(olivia.post(path + "/take-over", "{}").status()).isEqualTo(409);

        assertThat(olivia.post(path + "/hand-back", "").status()).isEqualTo(200);
        JsonNode again = admin.awaitStatus(id, "awaiting_approval", PATIENCE);
        assertThat(again.at("/workflow/run").asInt())
            .as("a fresh run after the hand-back")
            .isEqualTo(2);

        assertThat(olivia.post(path + "/assign", "{}").status()).isEqualTo(400);
        assertThat(olivia.post(path + "/assign", "{\"assignee\": 7}").status()).isEqualTo(400);
        assertThat(olivia.post(path + "/assign", "{\"who\": \"bob\"}").status()).isEqualTo(400);
        assertThat(
                olivia
                    .post(path + "/assign", "{\"assignee\": \"bob\"}")
                    .body()
                    .get("assignee")
                    .asText())
            .isEqualTo("bob");
        assertThat(olivia.post(path + "/severity", "{\"severity\": \"dire\"}").status())
            .isEqualTo(400);
        assertThat(
                olivia
                    .post(path + "/severity", "{\"severity\": \"low\", \"reason\": \"a canary\"}")
                    .body()
                    .get("severity")
                    .asText())
            .isEqualTo("low");
        assertThat(olivia.post("/api/v1/incidents/inc-none/resolve", "{}").status()).isEqualTo(404);

        SentinelApi.Reply resolved =
            olivia.post(path + "/resolve", "{\"reason\": \"fixed by hand\"}");
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.body().get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.body().get("resolution").asText())
            .matches("resolved by olivia \\[key_\\w+\\]: fixed by hand");
        assertThat(olivia.post(path + "/resolve", "{}").status()).isEqualTo(409);
        assertThat(olivia.post(path + "/note", "{\"text\": \"postmortem on Friday\"}").status())
            .isEqualTo(200);

        String audit = admin.get("/api/v1/audit?incident=" + id + "&limit=100").body().toString();
        assertThat(audit)
            .contains("incident.taken_over")
            .contains("incident.handed_back")
            .contains("incident.assigned")
            .contains("incident.severity_changed")
            .contains("incident.resolved")
            .contains("incident.noted")
            .contains("olivia");
        assertThat(admin.get(path).body().get("timeline").toString())
            .contains("postmortem on Friday")
            .doesNotContain("\"kind\":\"action\"");

        // Sentinel's acknowledge goes to PagerDuty; PagerDuty's webhooks come back signed.
        admin.injectFault("error_burst", "api");
        String other =
            admin
                .await(
                    "/api/v1/incidents?service=api&status=open",
                    body -> body.get("count").asInt() > 0,
                    PATIENCE)
                .at("/incidents/0/id")
                .asText();
        String otherPath = "/api/v1/incidents/" + other;
        assertThat(olivia.post(otherPath + "/acknowledge", "{\"note\": \"looking\"}").status())
            .isEqualTo(200);
        pagerDuty.await(
            "/pagerduty",
            r -> r.body().contains("\"acknowledge\"") && r.body().contains(other),
            PATIENCE);
        // Its echo from PagerDuty changes nothing: acknowledged already.
        assertThat(webhook(base, "incident.acknowledged", other, "evt-1", true).statusCode())
            .isEqualTo(200);
        assertThat(webhook(base, "incident.resolved", other, "evt-2", false).statusCode())
            .as("forged")
            .isEqualTo(401);
        assertThat(admin.get(otherPath).body().at("/incident/status").asText())
            .isNotEqualTo("resolved");
        assertThat(webhook(base, "incident.resolved", other, "evt-3", true).statusCode())
            .isEqualTo(200);
        assertThat(webhook(base, "incident.resolved", other, "evt-3", true).statusCode())
            .as("replayed")
            .isEqualTo(401);
        JsonNode resolvedThere = admin.get(otherPath).body().get("incident");
        assertThat(resolvedThere.get("status").asText()).isEqualTo("resolved");
        assertThat(resolvedThere.get("resolution").asText())
            .isEqualTo("resolved by pagerduty:Earline Greenholt: resolved in PagerDuty");
        assertThat(admin.get("/api/v1/audit?action=approval.refused").body().toString())
            .contains("forged");
      }
    }
  }

  /** A PagerDuty v3 webhook event about an incident, signed with the secret or forged. */
  private static java.net.http.HttpResponse<String> webhook(
      String base, String type, String incident, String eventId, boolean signed) throws Exception {
    String body =
        ("{\"event\": {\"id\": \"%s\", \"event_type\": \"%s\", \"resource_type\":"
                + " \"incident\", \"agent\": {\"summary\": \"Earline Greenholt\", \"type\":"
                + " \"user_reference\"}, \"data\": {\"id\": \"PT4KHLK\", \"type\": \"incident\","
                + " \"incident_key\": \"%s\", \"status\": \"resolved\"}}}")
            .formatted(eventId, type, incident);
    String signature =
        dev.sentinel.notifier.PagerDutySignature.sign(
            signed ? PAGERDUTY_SECRET : "not-the-secret-at-all", body);
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/api/v1/pagerduty/webhook"))
                .header("Content-Type", "application/json")
                .header("X-PagerDuty-Signature", "v1=00ff, " + signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
