package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/alerts/alertmanager} over real HTTP with Alertmanager's version 4 body. */
class AlertmanagerEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private InProcessTelemetryBus bus;
  private ApiServer server;
  private ApiServer.Parts parts;
  private PrometheusMeterRegistry meters;
  private Http http;

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
    bus = new InProcessTelemetryBus(1, 1000, partition -> batch -> {});
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TestStateStore.reset();
    var audit = TestStateStore.auditTrail();
    var keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    parts = TestParts.of(bus, clock, meters, Map.of(), new AuthConfig(false), keys, audit);
    server = new ApiServer(parts);
    http = new Http("http://127.0.0.1:" + server.start());
  }

  @AfterEach
  void stop() {
    server.close();
    bus.close();
  }

  static String notification(String status, String fingerprint, String endsAt) {
    return """
        {"receiver":"sentinel","status":"%s","version":"4","groupKey":"{}:{alertname=\\"HighLatency\\"}",
         "groupLabels":{"alertname":"HighLatency"},"commonLabels":{},"commonAnnotations":{},
         "externalURL":"http://am:9093","truncatedAlerts":0,
         "alerts":[{"status":"%s","labels":{"alertname":"HighLatency","service":"checkout","severity":"warning"},
           "annotations":{"summary":"p99 over 2 s","description":"checkout is slow"},
           "startsAt":"2026-01-01T10:00:00.123Z","endsAt":"%s",
           "generatorURL":"http://prometheus/graph?g0.expr=x","fingerprint":"%s"}]}
        """
        .formatted(status, status, endsAt, fingerprint);
  }

  private JsonNode post(String body, int expected) throws Exception {
    HttpResponse<String> response = http.post("/api/v1/alerts/alertmanager", body, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    return JSON.readTree(response.body());
  }

  @Test
  void a_firing_alert_opens_an_incident_and_a_resend_is_a_duplicate() throws Exception {
    String firing = notification("firing", "a1b2c3", "0001-01-01T00:00:00Z");
    JsonNode first = post(firing, 200);
    assertThat(first.get("received").asInt()).isEqualTo(1);
    assertThat(first.at("/outcomes/opened").asInt()).isEqualTo(1);
    assertThat(post(firing, 200).at("/outcomes/duplicate").asInt()).isEqualTo(1);

    List<Incident> open = parts.incidents().store().list(IncidentFilter.open(), 10);
    assertThat(open).hasSize(1);
    assertThat(open.getFirst().service()).isEqualTo("checkout");
    assertThat(open.getFirst().series())
        .containsExactly(
            "ALERTS{alertname=\"HighLatency\",service=\"checkout\",severity=\"warning\"}");
    assertThat(open.getFirst().openedAtMillis())
        .isEqualTo(java.time.Instant.parse("2026-01-01T10:00:00.123Z").toEpochMilli());

    JsonNode resolved = post(notification("resolved", "a1b2c3", "2026-01-01T10:05:00Z"), 200);
    assertThat(resolved.at("/outcomes/resolved_incident").asInt()).isEqualTo(1);
    Incident incident = parts.incidents().store().find(open.getFirst().id()).orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(meters.scrape())
        .contains(
            "sentinel_alerts_received_total{outcome=\"opened\",status=\"firing\"} 1.0",
            "sentinel_alerts_received_total{outcome=\"duplicate\",status=\"firing\"} 1.0",
            "sentinel_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/alerts/alertmanager\",status=\"200\"} 3");
  }

  @Test
  void a_malformed_notification_is_refused_naming_the_field() throws Exception {
    String good = notification("firing", "f1", "0001-01-01T00:00:00Z");
    Map<String, String> refusals =
        Map.of(
            "{nope",
            "must be JSON",
            "[]",
            "must be a JSON object",
            good.replace("\"version\":\"4\"", "\"version\":\"3\""),
            "field 'version'",
            good.replace("\"alerts\":[", "\"alertz\":["),
            "field 'alerts' is required",
            good.replace("\"alertname\":\"HighLatency\",\"service\"", "\"service\""),
            "field 'alerts[0].labels.alertname' is required",
            good.replace("\"fingerprint\":\"f1\"", "\"fingerprint\":7"),
            "field 'alerts[0].fingerprint' must be a string",
            good.replace("2026-01-01T10:00:00.123Z", "yesterday"),
            "field 'alerts[0].startsAt' must be an RFC 3339 time",
            good.replace("\"status\":\"firing\",\"labels\"", "\"status\":\"burning\",\"labels\""),
            "field 'alerts[0].status' must be 'firing' or 'resolved'");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      JsonNode body = post(refusal.getKey(), 400);
      assertThat(body.get("error").asText()).as(refusal.getKey()).contains(refusal.getValue());
    }
    assertThat(parts.incidents().store().list(IncidentFilter.all(), 10)).isEmpty();
  }

  @Test
  void the_request_id_is_accepted_or_made_and_answered() throws Exception {
    HttpResponse<String> given =
        http.send(http.request("/health", null).header("X-Request-ID", "req-42"));
    assertThat(given.headers().firstValue("X-Request-ID")).contains("req-42");
    HttpResponse<String> made = http.get("/health", null);
    assertThat(made.headers().firstValue("X-Request-ID").orElseThrow()).hasSize(36);
  }
}
