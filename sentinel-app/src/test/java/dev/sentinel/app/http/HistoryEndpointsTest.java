package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.duckdb.DuckDbTelemetryStore;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history endpoints over real HTTP against a real DuckDB store holding five weeks of a series
 * whose error rate is 0.2 % except on Monday mornings, when a batch job makes it 5 %.
 */
class HistoryEndpointsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z"); // a Monday
  private static final SeriesKey ERRORS = SeriesKey.of("error_rate", Map.of("service", "checkout"));
  private static final SeriesKey REQUESTS = SeriesKey.of("requests", Map.of("path", "/api/v1"));

  @TempDir Path dir;
  private DuckDbTelemetryStore store;
  private InProcessTelemetryBus bus;
  private ApiServer server;
  private Http http;

  @BeforeEach
  void start() {
    SeriesRegistry registry = new SeriesRegistry();
    int id = registry.intern(ERRORS);
    store = DuckDbTelemetryStore.open(dir);
    PointBatch points = new PointBatch(10_000);
    long from = NOW.toEpochMilli() - 35L * 86_400_000;
    for (long t = from; t < NOW.toEpochMilli(); t += 300_000) {
      var time = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
      boolean mondayMorning =
          time.getDayOfWeek().getValue() == 1 && time.getHour() >= 8 && time.getHour() < 10;
      points.add(id, t, (mondayMorning ? 0.05 : 0.002) + (t / 300_000 % 7) * 0.0001);
    }
    int requests = registry.intern(REQUESTS);
    points.add(requests, NOW.toEpochMilli() - 60_000, 42);
    store.append(points, registry);
    bus = new InProcessTelemetryBus(1, 1000, partition -> batch -> {});
    TestStateStore.reset();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    AuditTrail audit = new InMemoryAuditTrail();
    server =
        new ApiServer(
            TestParts.of(
                bus,
                clock,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Map.of(),
                new AuthConfig(false),
                new PostgresApiKeyStore(
                    TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher()),
                audit,
                registry,
                java.util.Optional.of(store)));
    http = new Http("http://127.0.0.1:" + server.start());
  }

  @AfterEach
  void stop() {
    server.close();
    bus.close();
    store.close();
  }

  private JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> response = http.get(path, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static String series() {
    return URLEncoder.encode(ERRORS.text(), StandardCharsets.UTF_8);
  }

  @Test
  void five_percent_errors_are_usual_on_a_monday_morning() throws Exception {
    JsonNode body = get("/api/v1/series/baseline?series=" + series() + "&value=0.05", 200);

    assertThat(body.get("verdict").asText()).isEqualTo("usual");
    assertThat(body.get("text").asText()).contains("Monday 09:00 UTC").contains("last 4 Mondays");
    assertThat(body.at("/baseline/count").asLong()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void the_same_errors_on_a_tuesday_morning_are_unusual() throws Exception {
    JsonNode body =
        get(
            "/api/v1/series/baseline?series=" + series() + "&value=0.05&at=2026-11-17T09:00:00Z",
            200);

    assertThat(body.get("verdict").asText()).isEqualTo("unusual");
    assertThat(body.at("/baseline/p99").asDouble()).isLessThan(0.01);
  }

  @Test
  void history_gives_buckets_percentiles_and_trend_over_the_range() throws Exception {
    JsonNode body = get("/api/v1/series/history?series=" + series() + "&since=3h&step=1h", 200);

    assertThat(body.get("buckets")).hasSize(3);
    assertThat(body.at("/buckets/0/count").asLong()).isEqualTo(12);
    assertThat(body.at("/percentiles/max").asDouble()).isGreaterThan(0.05);
    assertThat(body.at("/trend/direction").asText()).isEqualTo("rising");
  }

  @Test
  void points_of_a_series_named_in_the_path_come_downsampled_oldest_first() throws Exception {
    JsonNode hourly = get("/api/v1/series/" + series() + "/points?from=3h&step=1h", 200);

    assertThat(hourly.get("series").asText()).isEqualTo(ERRORS.text());
    assertThat(hourly.get("points")).hasSize(3);
    assertThat(hourly.at("/points/0/count").asLong()).isEqualTo(12);
    assertThat(hourly.at("/points/0/t").asLong()).isLessThan(hourly.at("/points/1/t").asLong());
    // 08:00-09:00 on a Monday: the batch job's 5 %.
    assertThat(hourly.at("/points/2/value").asDouble()).isBetween(0.05, 0.051);
    assertThat(hourly.at("/points/2/min").asDouble())
        .isLessThanOrEqualTo(hourly.at("/points/2/max").asDouble());

    // Without a step, an hour is cut into at most 500 steps: 8 s each, 12 of them holding a point.
    JsonNode auto = get("/api/v1/series/" + series() + "/points?from=1h", 200);
    assertThat(auto.get("stepSeconds").asLong()).isEqualTo(8);
    assertThat(auto.get("points")).hasSize(12);

    // A '/' in a label travels encoded like the rest of the key.
    String requests = URLEncoder.encode(REQUESTS.text(), StandardCharsets.UTF_8);
    assertThat(requests).contains("%2F");
    JsonNode slashed = get("/api/v1/series/" + requests + "/points?from=10m", 200);
    assertThat(slashed.get("series").asText()).isEqualTo("requests{path=\"/api/v1\"}");
    assertThat(slashed.at("/points/0/value").asDouble()).isEqualTo(42);

    assertThat(get("/api/v1/series/nope/points", 404).toString()).contains("no series 'nope'");
    assertThat(
            get("/api/v1/series/" + series() + "/points?from=1h&to=2h", 400).get("error").asText())
        .contains("'from' must be before 'to'");
  }

  @Test
  void bad_and_unknown_queries_say_what_is_wrong() throws Exception {
    assertThat(get("/api/v1/series/baseline", 400).get("error").asText())
        .contains("'series' is required");
    assertThat(get("/api/v1/series/history?series=nope", 404).toString())
        .contains("no series 'nope'");
    assertThat(
            get("/api/v1/series/history?series=" + series() + "&step=fast", 400)
                .get("error")
                .asText())
        .contains("'step'");
    assertThat(
            get("/api/v1/series/baseline?series=" + series() + "&value=abc", 400)
                .get("error")
                .asText())
        .contains("'value' must be a finite number");
  }
}
