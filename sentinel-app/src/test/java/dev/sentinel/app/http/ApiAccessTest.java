package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.Role;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.observe.SentinelVersion;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys, roles, the key API and the audit API over real HTTP, with keys in real PostgreSQL. */
class ApiAccessTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POINT = "{\"points\":[{\"name\":\"rps\",\"value\":1}]}";

  private final Clock clock = Clock.systemUTC();
  private final Map<Role, String> keyOf = new EnumMap<>(Role.class);
  private AuditTrail audit;
  private ApiKeyStore keys;
  private InProcessTelemetryBus bus;
  private ApiServer server;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    TestStateStore.reset();
    audit = TestStateStore.auditTrail();
    keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    for (Role role : Role.values()) {
      keyOf.put(role, keys.create(role.code() + "-key", role, "test").secret());
    }
    start(AuthConfig.defaults());
  }

  private void start(AuthConfig auth) {
    if (server != null) {
      server.close();
      bus.close();
    }
    bus = new InProcessTelemetryBus(1, 10_000, partition -> batch -> {});
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server = new ApiServer(TestParts.of(bus, clock, meters, Map.of(), auth, keys, audit));
    http = new Http("http://127.0.0.1:" + server.start());
  }

  @AfterEach
  void stop() {
    server.close();
    bus.close();
  }

  private HttpResponse<String> call(String method, String path, Role role) throws Exception {
    String key = role == null ? null : keyOf.get(role);
    return switch (method) {
      case "GET" -> http.get(path, key);
      case "POST" ->
          http.post(
              path, path.endsWith("/keys") ? "{\"name\":\"n\",\"role\":\"viewer\"}" : POINT, key);
      case "DELETE" -> http.delete(path, key);
      default -> throw new IllegalArgumentException(method);
    };
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void probes_metrics_and_the_api_document_need_no_key() throws Exception {
    for (String path : List.of("/health", "/health/detailed", "/metrics", "/openapi.json")) {
      assertThat(http.get(path, null).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void health_details_such_as_ports_and_paths_are_shown_only_to_a_caller_with_a_key()
      throws Exception {
    server.close();
    bus.close();
    bus = new InProcessTelemetryBus(1, 10_000, partition -> batch -> {});
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Map<String, dev.sentinel.app.observe.HealthCheck> health =
        Map.of(
            "stateStore",
            () ->
                dev.sentinel.app.observe.Health.up(
                    Map.of("port", 54321, "dataDir", "/var/lib/sentinel/postgres")));
    server =
        new ApiServer(TestParts.of(bus, clock, meters, health, AuthConfig.defaults(), keys, audit));
    http = new Http("http://127.0.0.1:" + server.start());

    JsonNode anonymous = json(http.get("/health/detailed", null));
    assertThat(anonymous.path("components").path("stateStore").path("status").asText())
        .isEqualTo("UP");
    assertThat(anonymous.toString()).doesNotContain("54321").doesNotContain("/var/lib");
    assertThat(anonymous.has("version")).isFalse();
    assertThat(json(http.get("/health/detailed", "not-a-key")).toString()).doesNotContain("54321");

    JsonNode viewer = json(http.get("/health/detailed", keyOf.get(Role.INGEST)));
    assertThat(viewer.path("components").path("stateStore").path("details").path("port").asInt())
        .isEqualTo(54321);
    assertThat(viewer.path("version").asText()).isEqualTo(SentinelVersion.current().display());
  }

  @Test
  void probes_may_ask_with_head_and_other_routes_answer_405_to_it() throws Exception {
    for (String path : List.of("/health", "/health/detailed", "/metrics")) {
      HttpResponse<String> head = http.send(http.request(path, null).HEAD());
      assertThat(head.statusCode()).as(path).isEqualTo(200);
      assertThat(head.body()).as(path).isEmpty();
    }
    HttpResponse<String> incidents = http.send(http.request("/api/v1/incidents", null).HEAD());
    assertThat(incidents.statusCode()).isEqualTo(405);
    assertThat(http.get("/metrics", null).body())
        .contains(
            "sentinel_http_requests_seconds_count{method=\"HEAD\",route=\"/health\",status=\"200\"}");
  }

  @Test
  void a_request_without_a_key_gets_401_with_a_bearer_challenge() throws Exception {
    HttpResponse<String> response = http.get("/api/v1/incidents", null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"sentinel\"");
    assertThat(response.headers().firstValue("X-Request-ID")).isPresent();
    assertThat(json(response).get("error").asText()).contains("Authorization: Bearer");
    assertThat(http.get("/metrics", null).body())
        .contains("sentinel_http_auth_refused_total{reason=\"missing\"} 1.0");
  }

  @Test
  void an_unknown_key_or_another_scheme_gets_401_invalid_token() throws Exception {
    HttpResponse<String> unknown = http.get("/api/v1/incidents", "snt_" + "x".repeat(43));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(unknown.body()).doesNotContain("snt_");
    HttpResponse<String> basic =
        http.send(
            http.request("/api/v1/incidents", null).header("Authorization", "Basic dXNlcjpw"));
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(json(basic).get("error").asText()).contains("'Bearer <key>'");
  }

  /** Each row: method, path, and the roles allowed, in the order ingest viewer operator admin. */
  @Test
  void each_route_admits_exactly_the_roles_of_the_matrix() throws Exception {
    String[][] matrix = {
      {"POST", "/api/v1/metrics", "+-++"},
      {"POST", "/api/v1/write", "+-++"},
      {"POST", "/v1/metrics", "+-++"},
      {"POST", "/api/v1/otlp/v1/metrics", "+-++"},
      {"POST", "/api/v1/alerts/alertmanager", "+-++"},
      {"GET", "/api/v1/series", "-+++"},
      {"GET", "/api/v1/anomalies", "-+++"},
      {"GET", "/api/v1/incidents", "-+++"},
      {"GET", "/api/v1/incidents/inc-404", "-+++"},
      {"POST", "/api/v1/incidents/inc-404/approve", "--++"},
      {"POST", "/api/v1/incidents/inc-404/reject", "--++"},
      {"POST", "/api/v1/incidents/inc-404/acknowledge", "--++"},
      {"POST", "/api/v1/incidents/inc-404/assign", "--++"},
      {"POST", "/api/v1/incidents/inc-404/note", "--++"},
      {"POST", "/api/v1/incidents/inc-404/severity", "--++"},
      {"POST", "/api/v1/incidents/inc-404/take-over", "--++"},
      {"POST", "/api/v1/incidents/inc-404/hand-back", "--++"},
      {"POST", "/api/v1/incidents/inc-404/resolve", "--++"},
      {"GET", "/api/v1/simulator", "-+++"},
      {"POST", "/api/v1/simulator/faults", "--++"},
      {"GET", "/api/v1/audit", "-+++"},
      {"GET", "/api/v1/keys", "---+"},
      {"POST", "/api/v1/keys", "---+"},
      {"DELETE", "/api/v1/keys/key_404", "---+"},
    };
    for (String[] row : matrix) {
      for (Role role : Role.values()) {
        boolean allowed = row[2].charAt(role.ordinal()) == '+';
        HttpResponse<String> response = call(row[0], row[1], role);
        String what = role.code() + " " + row[0] + " " + row[1] + " -> " + response.body();
        if (allowed) {
          assertThat(response.statusCode()).as(what).isNotIn(401, 403);
        } else {
          assertThat(response.statusCode()).as(what).isEqualTo(403);
        }
      }
    }
  }

  @Test
  void a_refusal_names_the_keys_role_and_the_role_needed() throws Exception {
    HttpResponse<String> response = http.get("/api/v1/keys", keyOf.get(Role.OPERATOR));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("insufficient_scope");
    assertThat(json(response).get("error").asText())
        .contains("'operator-key' has role operator")
        .contains("GET /api/v1/keys")
        .contains("needs admin");
  }

  @Test
  void an_admin_creates_lists_and_revokes_keys_and_every_step_is_audited() throws Exception {
    String admin = keyOf.get(Role.ADMIN);
    HttpResponse<String> created =
        http.post("/api/v1/keys", "{\"name\":\"grafana\",\"role\":\"viewer\"}", admin);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode key = json(created);
    String secret = key.get("secret").asText();
    String id = key.get("id").asText();
    assertThat(secret).matches("snt_[0-9A-Za-z]{43}");
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/keys/" + id);
    assertThat(key.get("role").asText()).isEqualTo("viewer");

    assertThat(http.get("/api/v1/incidents", secret).statusCode()).isEqualTo(200);
    HttpResponse<String> listed = http.get("/api/v1/keys", admin);
    assertThat(listed.body())
        .contains(id, "grafana")
        .doesNotContain(secret)
        .doesNotContain("secret");
    assertThat(json(listed).get("count").asInt()).isEqualTo(5);

    assertThat(http.delete("/api/v1/keys/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(http.get("/api/v1/incidents", secret).statusCode())
        .as("revoked through this server: refused at once, despite the key cache")
        .isEqualTo(401);
    assertThat(http.delete("/api/v1/keys/" + id, admin).statusCode()).isEqualTo(404);

    List<AuditEntry> entries =
        audit.find(new AuditQuery(null, null, null, null, null, 4, 100)); // after the 4 fixtures
    assertThat(entries)
        .extracting(entry -> entry.record().action())
        .containsExactly(AuditAction.API_KEY_CREATED, AuditAction.API_KEY_REVOKED);
    assertThat(entries)
        .allSatisfy(entry -> assertThat(entry.record().actor()).startsWith("admin-key [key_"));
    assertThat(entries.toString()).doesNotContain(secret);
  }

  @Test
  void a_bad_key_request_is_refused_naming_the_field() throws Exception {
    String admin = keyOf.get(Role.ADMIN);
    Map<String, String> refusals =
        Map.of(
            "{\"name\":\"x\"}",
            "field 'role' is required",
            "{\"name\":\"x\",\"role\":\"root\"}",
            "field 'role': role must be one of ingest, viewer",
            "{\"role\":\"viewer\"}",
            "field 'name' is required",
            "{\"name\":\"" + "n".repeat(101) + "\",\"role\":\"viewer\"}",
            "field 'name': name must be at most 100",
            "{\"name\":\"x\",\"role\":\"viewer\",\"ttl\":3}",
            "unknown field 'ttl'",
            "{\"name\":7,\"role\":\"viewer\"}",
            "field 'name' must be a string",
            "[1]",
            "must be a JSON object",
            "{nope",
            "must be JSON");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      HttpResponse<String> response = http.post("/api/v1/keys", refusal.getKey(), admin);
      assertThat(response.statusCode()).as(refusal.getKey()).isEqualTo(400);
      assertThat(json(response).get("error").asText())
          .as(refusal.getKey())
          .contains(refusal.getValue());
    }
    assertThat(keys.list()).hasSize(4);
  }

  @Test
  void the_audit_api_filters_pages_and_names_bad_parameters() throws Exception {
    TestStateStore.reset();
    keyOf.put(Role.VIEWER, keys.create("auditor", Role.VIEWER, "test").secret());
    String viewer = keyOf.get(Role.VIEWER);
    long day = 86_400_000L;
    long now = clock.millis();
    for (int i = 0; i < 5; i++) {
      audit.append(
          dev.sentinel.audit.AuditRecord.of(
              now - (5 - i) * day,
              i % 2 == 0 ? "alice" : "bob",
              AuditAction.APPROVAL_GRANTED,
              "inc-" + (i % 2),
              Map.of("step", "restart " + i)));
    }
    JsonNode all = json(http.get("/api/v1/audit?limit=10", viewer));
    assertThat(all.get("count").asInt()).isEqualTo(6);
    JsonNode first = all.at("/entries/0");
    assertThat(first.get("sequence").asLong()).isEqualTo(1);
    assertThat(first.get("action").asText()).isEqualTo("api.key_created");
    assertThat(first.get("previousHash").asText()).isEqualTo("0".repeat(64));
    assertThat(all.at("/entries/1/previousHash").asText()).isEqualTo(first.get("hash").asText());
    assertThat(all.at("/entries/1/time").asText()).endsWith("Z");
    assertThat(all.at("/entries/1/details/step").asText()).isEqualTo("restart 0");
    assertThat(all.get("next").isNull()).isTrue();

    assertThat(json(http.get("/api/v1/audit?actor=bob", viewer)).get("count").asInt()).isEqualTo(2);
    assertThat(
            json(http.get("/api/v1/audit?incident=inc-0&action=approval.granted", viewer))
                .get("count")
                .asInt())
        .isEqualTo(3);
    assertThat(
            json(http.get("/api/v1/audit?from=54h&to=1h", viewer))
                .at("/entries/0/details/step")
                .asText())
        .isEqualTo("restart 3");

    JsonNode page = json(http.get("/api/v1/audit?limit=4", viewer));
    assertThat(page.get("next").asLong()).isEqualTo(4);
    JsonNode rest = json(http.get("/api/v1/audit?limit=4&after=4", viewer));
    assertThat(rest.at("/entries/0/sequence").asLong()).isEqualTo(5);
    assertThat(rest.get("count").asInt()).isEqualTo(2);

    Map<String, String> bad =
        Map.of(
            "action=approved", "'action' must be one of",
            "after=-1", "'after' must be a sequence number",
            "from=yesterday", "'from'",
            "to=soon", "'to'",
            "limit=0", "'limit'",
            "from=1h&to=2h", "'from' must be before 'to'");
    for (Map.Entry<String, String> query : bad.entrySet()) {
      HttpResponse<String> response = http.get("/api/v1/audit?" + query.getKey(), viewer);
      assertThat(response.statusCode()).as(query.getKey()).isEqualTo(400);
      assertThat(json(response).get("error").asText())
          .as(query.getKey())
          .contains(query.getValue());
    }
  }

  @Test
  void with_auth_disabled_every_route_is_open_and_changes_are_audited_as_anonymous()
      throws Exception {
    start(new AuthConfig(false));
    assertThat(http.get("/api/v1/incidents", null).statusCode()).isEqualTo(200);
    assertThat(http.post("/api/v1/metrics", POINT, null).statusCode()).isEqualTo(202);
    HttpResponse<String> created =
        http.post("/api/v1/keys", "{\"name\":\"later\",\"role\":\"admin\"}", null);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(audit.find(new AuditQuery(null, null, null, null, null, 4, 10)))
        .singleElement()
        .satisfies(
            entry -> assertThat(entry.record().actor()).isEqualTo("anonymous (auth disabled)"));
  }
}
