package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a counter and a classic histogram from an endpoint the test serves and
 * remote-writes them to a real {@code sentinel run}. Sentinel must keep the counter's rate, not its
 * ever-growing value, and turn the histogram's buckets into quantiles and a mean, in the series it
 * lists and in the history it stores.
 *
 * <p>The exposed values follow the clock: the counter grows by 20 a second from 1,000,000, and 10
 * observations a second land in the histogram's (0.25, 0.5] bucket with a sum of 0.4 each. So the
 * rate is about 20/s whatever the scrape times, and the quantiles of any interval are exact: p50 =
 * 0.375, p90 = 0.475, p99 = 0.4975 (linear within the bucket), the mean 0.4.
 */
class PrometheusMetricSemanticsIT {

  private static final String ADMIN = "snt_metric_semantics_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void counters_arrive_as_rates_and_histograms_as_quantiles() throws Exception {
    long started = System.nanoTime();
    HttpServer exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    exporter.createContext(
        "/metrics",
        exchange -> {
          byte[] body =
              exposition((System.nanoTime() - started) / 1e9).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    exporter.start();
    try (SentinelProcess sentinel =
        SentinelProcess.start(
            Map.of("SENTINEL_ADMIN_KEY", ADMIN),
            "run",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("sentinel").toString())) {
      String base = sentinel.awaitReady(PATIENCE);
      SentinelApi admin = new SentinelApi(base, ADMIN);
      String ingestKey = admin.createKey("prometheus", "ingest");
      String target = "127.0.0.1:" + exporter.getAddress().getPort();
      try (PrometheusProcess prometheus =
          PrometheusProcess.start(
              dir,
              port ->
                  """
                  global: {scrape_interval: 1s}
                  scrape_configs:
                    - job_name: demo
                      static_configs: [{targets: ['%s']}]
                  remote_write:
                    - url: %s/api/v1/write
                      authorization: {credentials: '%s'}
                      queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
                      metadata_config: {send_interval: 2s}
                  """
                      .formatted(target, base, ingestKey))) {
        prometheus.explainFailures(() -> checkSemantics(admin, target));
      }
    } finally {
      exporter.stop(0);
    }
  }

  /** What the endpoint exposes {@code seconds} after the test started. */
  private static String exposition(double seconds) {
    long observations = (long) Math.floor(10 * seconds);
    return """
        # HELP demo_requests_total Requests served.
        # TYPE demo_requests_total counter
        demo_requests_total{path="/"} %s
        # HELP demo_latency_seconds Request latency.
        # TYPE demo_latency_seconds histogram
        demo_latency_seconds_bucket{le="0.1"} 1000
        demo_latency_seconds_bucket{le="0.25"} 2000
        demo_latency_seconds_bucket{le="0.5"} %d
        demo_latency_seconds_bucket{le="1"} %d
        demo_latency_seconds_bucket{le="+Inf"} %d
        demo_latency_seconds_sum %s
        demo_latency_seconds_count %d
        """
        .formatted(
            1_000_000 + 20 * seconds,
            2000 + observations,
            2000 + observations,
            2000 + observations,
            500 + 0.4 * observations,
            2000 + observations);
  }

  private static void checkSemantics(SentinelApi admin, String target) throws Exception {
    // Several rates in: the quantiles need two scrapes, and a few more show they stay.
    JsonNode requests = latest(admin, "demo_requests_total", 5);
    assertThat(requests.get("value").asDouble())
        .as("a rate per second, not the counter's value (over 1,000,000)")
        .isCloseTo(20.0, within(6.0));
    assertThat(requests.at("/labels/path").asText()).isEqualTo("/");
    assertThat(requests.at("/labels/instance").asText()).isEqualTo(target);

    assertThat(latest(admin, "demo_latency_seconds_p50", 1).get("value").asDouble())
        .isCloseTo(0.375, within(1e-9));
    assertThat(latest(admin, "demo_latency_seconds_p90", 1).get("value").asDouble())
        .isCloseTo(0.475, within(1e-9));
    assertThat(latest(admin, "demo_latency_seconds_p99", 1).get("value").asDouble())
        .isCloseTo(0.4975, within(1e-9));
    assertThat(latest(admin, "demo_latency_seconds_mean", 1).get("value").asDouble())
        .isCloseTo(0.4, within(1e-9));
    assertThat(latest(admin, "demo_latency_seconds_count", 1).get("value").asDouble())
        .as("observations per second")
        .isCloseTo(10.0, within(4.0));
    assertThat(admin.get("/api/v1/series?match=demo_latency_seconds_bucket").body().get("matched"))
        .as("buckets are not series of their own")
        .hasToString("0");

    // The stored history holds rates only: no point near the counter's raw value, none negative.
    String key = URLEncoder.encode(requests.get("series").asText(), StandardCharsets.UTF_8);
    JsonNode history =
        admin.await(
            "/api/v1/series/" + key + "/points?from=10m&step=1s",
            body -> body.get("points").size() >= 5,
            PATIENCE);
    for (JsonNode point : history.get("points")) {
      assertThat(point.get("min").asDouble()).isPositive();
      assertThat(point.get("max").asDouble()).isLessThan(100.0);
    }
  }

  /** The listed series named {@code name}, once Sentinel has a value for it. */
  private static JsonNode latest(SentinelApi admin, String name, int minimumSeconds)
      throws Exception {
    JsonNode found =
        admin.await(
            "/api/v1/series?match=" + name,
            body -> body.get("count").asInt() == 1 && body.at("/series/0/value").isNumber(),
            PATIENCE);
    if (minimumSeconds > 1) {
      Thread.sleep(minimumSeconds * 1000L);
      found = admin.get("/api/v1/series?match=" + name).body();
    }
    return found.at("/series/0");
  }
}
