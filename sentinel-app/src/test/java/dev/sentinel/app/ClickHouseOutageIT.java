package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Prerequisites;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sentinel run} with its history in the real ClickHouse, reached through a link the test
 * cuts: ingest goes on while the store is unreachable, the telemetry store's health turns degraded,
 * and once the link is mended the buffered points are written and none is missing.
 */
class ClickHouseOutageIT {

  private static final String ADMIN = "snt_clickhouse_outage_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String SERIES = "outage_cpu{host=\"h1\"}";

  @TempDir Path dir;

  @Test
  void points_taken_while_the_store_is_unreachable_are_written_once_it_is_back() throws Exception {
    String clickhouse = System.getenv("SENTINEL_TEST_CLICKHOUSE_URL");
    Prerequisites.require(
        clickhouse != null && !clickhouse.isBlank(),
        "SENTINEL_TEST_CLICKHOUSE_URL is not set: test.sh starts ClickHouse");
    URI server = URI.create(clickhouse);
    String run = UUID.randomUUID().toString().substring(0, 8);
    long start = System.currentTimeMillis() - 600_000;
    start -= start % 1000;

    try (CuttableProxy link = new CuttableProxy(server.getPort());
        SentinelProcess sentinel =
            SentinelProcess.start(
                Map.of(
                    "SENTINEL_ADMIN_KEY",
                    ADMIN,
                    "SENTINEL_TELEMETRY_STORE",
                    "clickhouse",
                    "SENTINEL_TELEMETRY_CLICKHOUSE_URL",
                    "http://127.0.0.1:" + link.port(),
                    "SENTINEL_TELEMETRY_CLICKHOUSE_DATABASE",
                    "outage_" + run),
                "run",
                "--port",
                "0",
                "--data-dir",
                dir.toString())) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      post(api, start, 0, 100);
      awaitSeconds(api, 100);

      link.cut();
      post(api, start, 100, 300); // accepted: ingest does not wait for the store
      JsonNode degraded =
          api.await(
              "/health/detailed",
              body -> "DEGRADED".equals(body.at("/components/telemetryStore/status").asText()),
              PATIENCE);
      assertThat(degraded.at("/components/telemetryStore/details/bufferedPoints").asLong())
          .isPositive();

      link.mend();
      api.await(
          "/health/detailed",
          body -> "UP".equals(body.at("/components/telemetryStore/status").asText()),
          PATIENCE);
      Set<Long> seconds = awaitSeconds(api, 300);
      for (int point = 0; point < 300; point++) {
        assertThat(seconds).as("second " + point + " is stored").contains(start + point * 1000L);
      }
      JsonNode health = api.get("/health/detailed").body();
      assertThat(health.at("/components/telemetryStore/details/droppedPoints").asLong()).isZero();
    }
  }

  /** Posts points {@code from} (inclusive) to {@code to} (exclusive), one second apart. */
  private static void post(SentinelApi api, long start, int from, int to) throws Exception {
    StringBuilder batch = new StringBuilder("[");
    for (int i = from; i < to; i++) {
      batch
          .append(i == from ? "" : ",")
          .append("{\"name\": \"outage_cpu\", \"labels\": {\"host\": \"h1\"}, \"timestamp\": ")
          .append(start + i * 1000L)
          .append(", \"value\": ")
          .append(40 + i % 5)
          .append('}');
    }
    SentinelApi.Reply reply = api.post("/api/v1/metrics", batch.append(']').toString());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(202);
  }

  /** Waits until the store holds {@code count} distinct seconds of the series; returns them. */
  private static Set<Long> awaitSeconds(SentinelApi api, int count) throws Exception {
    String path =
        "/api/v1/series/history?step=1s&since=1h&series="
            + URLEncoder.encode(SERIES, StandardCharsets.UTF_8);
    Set<Long> seconds = new HashSet<>();
    api.await(
        path,
        body -> {
          seconds.clear();
          body.get("buckets").forEach(bucket -> seconds.add(bucket.get("t").asLong()));
          return seconds.size() >= count;
        },
        PATIENCE);
    return seconds;
  }
}
