package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.Role;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The address alone leads to the console; the session tells the page its link templates. */
class ConsoleRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private InProcessTelemetryBus bus;
  private ApiServer server;
  private Http http;
  private String viewer;

  @BeforeEach
  void start() {
    TestStateStore.reset();
    Clock clock = Clock.systemUTC();
    AuditTrail audit = TestStateStore.auditTrail();
    ApiKeyStore keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    viewer = keys.create("vera", Role.VIEWER, "test").secret();
    bus = new InProcessTelemetryBus(1, 1000, partition -> batch -> {});
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server =
        new ApiServer(
            TestParts.of(bus, clock, meters, Map.of(), AuthConfig.defaults(), keys, audit));
    http = new Http("http://127.0.0.1:" + server.start());
  }

  @AfterEach
  void stop() {
    server.close();
    bus.close();
  }

  @Test
  void the_root_redirects_to_the_console_without_a_key() throws Exception {
    HttpResponse<String> root = http.get("/", null);
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/console");
    assertThat(http.get("/console", null).body()).contains("<nav id=\"nav\" hidden>");
  }

  @Test
  void the_session_names_the_key_and_the_link_templates_empty_when_unset() throws Exception {
    JsonNode session = JSON.readTree(http.get("/api/v1/session", viewer).body());
    assertThat(session.get("name").asText()).isEqualTo("vera");
    assertThat(session.get("role").asText()).isEqualTo("viewer");
    assertThat(session.get("grafanaUrl").asText()).isEmpty();
    assertThat(session.get("runbookUrl").asText()).isEmpty();
  }
}
