package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.notifier.SlackSignature;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack's button clicks over real HTTP: unsigned, forged, stale, replayed and unauthorised ones are
 * refused and audited before anything is decided. (The click that decides is exercised end to end
 * against a real Sentinel process in {@code NotificationsEndToEndIT}.)
 */
class SlackInteractionsTest {

  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

  private final Clock clock = Clock.systemUTC();
  private AuditTrail audit;
  private InProcessTelemetryBus bus;
  private ApiServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    TestStateStore.reset();
    audit = TestStateStore.auditTrail();
    ApiKeyStore keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    bus = new InProcessTelemetryBus(1, 1000, partition -> batch -> {});
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ApiServer.Parts parts =
        TestParts.withSlack(
            TestParts.of(bus, clock, meters, Map.of(), AuthConfig.defaults(), keys, audit),
            new NotifyConfig.Slack("", "", "", "", SECRET, List.of("U0ALICE=alice")));
    server = new ApiServer(parts);
    base = "http://127.0.0.1:" + server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    bus.close();
  }

  private static String click(String user, String actionId, String incident) {
    String payload =
        "{\"type\":\"block_actions\",\"user\":{\"id\":\""
            + user
            + "\",\"username\":\"someone\"},"
            + "\"actions\":[{\"action_id\":\""
            + actionId
            + "\",\"value\":\""
            + incident
            + "\"}],"
            + "\"response_url\":\"\"}";
    return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(String body, String timestamp, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/slack/interactions"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != null) {
      request.header("X-Slack-Request-Timestamp", timestamp);
    }
    if (signature != null) {
      request.header("X-Slack-Signature", signature);
    }
    return new Http(base).send(request);
  }

  private static String now() {
    return Long.toString(System.currentTimeMillis() / 1000);
  }

  private List<AuditEntry> refusals() {
    return audit.find(AuditQuery.all(100)).stream()
        .filter(entry -> entry.record().action() == AuditAction.APPROVAL_REFUSED)
        .toList();
  }

  @Test
  void an_unsigned_click_is_refused_and_audited() throws Exception {
    HttpResponse<String> response = send(click("U0ALICE", "sentinel_approve", "inc-1"), null, null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(refusals())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.record().details()).containsEntry("reason", "unsigned");
              assertThat(entry.record().actor()).isEqualTo("slack:unverified");
            });
  }

  @Test
  void a_forged_signature_is_refused_and_audited() throws Exception {
    String body = click("U0ALICE", "sentinel_approve", "inc-1");
    String ts = now();

    HttpResponse<String> response = send(body, ts, SlackSignature.sign("not-the-secret", ts, body));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("forged");
    assertThat(refusals())
        .singleElement()
        .satisfies(entry -> assertThat(entry.record().details()).containsEntry("reason", "forged"));
  }

  @Test
  void a_body_changed_after_signing_is_forged() throws Exception {
    String body = click("U0MALLORY", "sentinel_approve", "inc-1");
    String ts = now();
    String signature = SlackSignature.sign(SECRET, ts, body);

    HttpResponse<String> response =
        send(click("U0ALICE", "sentinel_approve", "inc-1"), ts, signature);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(refusals())
        .singleElement()
        .satisfies(entry -> assertThat(entry.record().details()).containsEntry("reason", "forged"));
  }

  @Test
  void a_correctly_signed_click_older_than_five_minutes_is_stale() throws Exception {
    String body = click("U0ALICE", "sentinel_approve", "inc-1");
    String old = Long.toString(System.currentTimeMillis() / 1000 - 6 * 60);

    HttpResponse<String> response = send(body, old, SlackSignature.sign(SECRET, old, body));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(refusals())
        .singleElement()
        .satisfies(entry -> assertThat(entry.record().details()).containsEntry("reason", "stale"));
  }

  @Test
  void the_same_signed_click_sent_twice_is_a_replay() throws Exception {
    String body = click("U0ALICE", "sentinel_approve", "inc-1");
    String ts = now();
    String signature = SlackSignature.sign(SECRET, ts, body);

    HttpResponse<String> first = send(body, ts, signature);
    HttpResponse<String> again = send(body, ts, signature);

    // The first is genuine and reaches the decision (409: this server has no workflow to decide).
    assertThat(first.statusCode()).isEqualTo(409);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("replayed");
    assertThat(refusals())
        .singleElement()
        .satisfies(
            entry -> assertThat(entry.record().details()).containsEntry("reason", "replayed"));
  }

  @Test
  void a_genuine_click_by_someone_who_is_not_an_approver_is_refused_and_audited() throws Exception {
    String body = click("U0MALLORY", "sentinel_reject", "inc-7");
    String ts = now();

    HttpResponse<String> response = send(body, ts, SlackSignature.sign(SECRET, ts, body));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(refusals())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.record().actor()).isEqualTo("slack:U0MALLORY");
              assertThat(entry.record().incidentId()).isEqualTo("inc-7");
              assertThat(entry.record().details()).containsEntry("reason", "unauthorised");
            });
  }

  @Test
  void without_a_signing_secret_the_route_does_not_exist() throws Exception {
    server.close();
    ApiKeyStore keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    server =
        new ApiServer(
            TestParts.of(
                bus,
                clock,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Map.of(),
                AuthConfig.defaults(),
                keys,
                audit));
    base = "http://127.0.0.1:" + server.start();

    assertThat(send("payload={}", now(), "v0=00").statusCode()).isEqualTo(404);
  }
}
