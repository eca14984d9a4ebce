package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.Role;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge over real HTTP, with a bus whose consumer the test controls. Authentication is on,
 * as in production: telemetry is sent with an ingest key, queries with a viewer key.
 */
class ApiServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch consumerGate = new CountDownLatch(1);
  private final AtomicLong consumed = new AtomicLong();
  private volatile boolean gated;
  private InProcessTelemetryBus bus;
  private ApiServer server;
  private String base;
  private String ingestKey;
  private String viewerKey;

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
    bus =
        new InProcessTelemetryBus(
            1,
            1000,
            partition ->
                batch -> {
                  if (gated) {
                    try {
                      consumerGate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  consumed.addAndGet(batch.size());
                });
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TestStateStore.reset();
    AuditTrail audit = TestStateStore.auditTrail();
    ApiKeyStore keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    ingestKey = keys.create("collector", Role.INGEST, "test").secret();
    viewerKey = keys.create("dashboard", Role.VIEWER, "test").secret();
    server =
        new ApiServer(
            TestParts.of(
                bus,
                clock,
                meters,
                Map.of("bus", () -> Health.up(Map.of("queued", bus.queuedPoints()))),
                AuthConfig.defaults(),
                keys,
                audit));
    base = "http://127.0.0.1:" + server.start();
  }

  @AfterEach
  void stop() {
    consumerGate.countDown();
    server.close();
    bus.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ingestKey)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + viewerKey)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String points(int count) {
    StringBuilder json = new StringBuilder("{\"points\":[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"rps\",\"labels\":{\"service\":\"s")
          .append(i % 7)
          .append("\"},\"value\":")
          .append(i)
          .append('}');
    }
    return json.append("]}").toString();
  }

  @Test
  void accepted_points_are_counted_and_reach_the_bus() throws Exception {
    HttpResponse<String> response = post("/api/v1/metrics", points(25));
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(25);
    assertThat(response.headers().firstValue("X-Request-ID")).isPresent();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (consumed.get() < 25 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(consumed.get()).isEqualTo(25);
  }

  @Test
  void gzip_bodies_are_accepted() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(points(10).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/metrics"))
                .header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + ingestKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"accepted\":10");
  }

  @Test
  void invalid_points_get_400_naming_the_point_and_field() throws Exception {
    HttpResponse<String> response =
        post("/api/v1/metrics", "{\"points\":[{\"name\":\"ok\",\"value\":1},{\"name\":\"x\"}]}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("accepted").asInt()).isZero();
    assertThat(body.at("/errors/0/field").asText()).isEqualTo("points[1].value");
    assertThat(body.at("/errors/0/index").asInt()).isEqualTo(1);
    assertThat(body.at("/errors/0/message").asText()).isEqualTo("value is required");
    assertThat(consumed.get()).isZero();
  }

  @Test
  void a_full_pipeline_answers_429_with_retry_after_and_keeps_nothing() throws Exception {
    gated = true;
    assertThat(post("/api/v1/metrics", points(600)).statusCode()).isEqualTo(202);
    HttpResponse<String> full = post("/api/v1/metrics", points(600));
    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.headers().firstValue("Retry-After")).contains("1");
    String newSeries = points(600).replace("\"rps\"", "\"late_rps\"");
    assertThat(post("/api/v1/metrics", newSeries).statusCode()).isEqualTo(429);
    assertThat(get("/api/v1/series?match=late_rps").body())
        .as("a refused batch registers no series")
        .contains("\"count\":0");
    assertThat(bus.queuedPoints()).isEqualTo(600);
    consumerGate.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (bus.queuedPoints() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(post("/api/v1/metrics", points(600)).statusCode())
        .as("accepted again once drained")
        .isEqualTo(202);
    assertThat(get("/metrics").body())
        .contains("sentinel_ingest_backpressure_requests_total 2.0")
        .contains("sentinel_ingest_rejected_points_total{reason=\"backpressure\"} 1200.0");
  }

  @Test
  void a_batch_larger_than_the_pipeline_gets_413() throws Exception {
    HttpResponse<String> response = post("/api/v1/metrics", points(1001));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("send smaller batches");
  }

  @Test
  void health_metrics_and_bad_queries() throws Exception {
    assertThat(get("/health").body()).contains("\"status\":\"UP\"");
    HttpResponse<String> detailed = get("/health/detailed");
    assertThat(detailed.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(detailed.body()).at("/components/bus/status").asText())
        .isEqualTo("UP");
    post("/api/v1/metrics", points(3));
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body()).contains("sentinel_ingest_points_total 3.0");
    HttpResponse<String> bad = get("/api/v1/anomalies?since=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("'since'");
    assertThat(get("/api/v1/incidents/nope").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/incidents?status=weird").body()).contains("'status' must be");
  }
}
