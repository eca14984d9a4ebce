package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's 2.42, installed by {@code scripts/prometheus.sh}) scrapes itself and
 * remote-writes to a real {@code sentinel run} process with an ingest key; its own series must
 * arrive in Sentinel and be listed by {@code /api/v1/series}, and Prometheus must count no failed
 * sample. Skipped when no {@code prometheus} binary is on the PATH.
 */
class PrometheusRemoteWriteIT {

  private static final String ADMIN = "snt_remote_write_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void prometheus_own_series_arrive_through_remote_write_and_are_listed() throws Exception {
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

      try (PrometheusProcess server =
          PrometheusProcess.start(
              dir,
              port ->
                  """
                  global: {scrape_interval: 1s, evaluation_interval: 1s}
                  scrape_configs:
                    - job_name: prometheus
                      static_configs: [{targets: ['127.0.0.1:%d']}]
                  remote_write:
                    - url: %s/api/v1/write
                      authorization: {credentials: '%s'}
                      queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
                  """
                      .formatted(port, base, ingestKey))) {
        server.explainFailures(() -> seriesArrive(admin, base, server.port()));
      }
    }
  }

  private static void seriesArrive(SentinelApi admin, String base, int port) throws Exception {
    JsonNode found =
        admin.await(
            "/api/v1/series?match=prometheus_build_info",
            // Listed once interned, valued once a partition consumed it: wait for both.
            body -> body.get("count").asInt() > 0 && body.at("/series/0/value").isNumber(),
            PATIENCE);
    JsonNode buildInfo = found.at("/series/0");
    assertThat(buildInfo.at("/labels/job").asText()).isEqualTo("prometheus");
    assertThat(buildInfo.at("/labels/instance").asText()).isEqualTo("127.0.0.1:" + port);
    assertThat(buildInfo.at("/labels/version").asText()).startsWith("2.");
    assertThat(buildInfo.get("value").asDouble()).isEqualTo(1.0);

    JsonNode up =
        admin.await(
            "/api/v1/series?match=up%7B", // up{
            body -> body.get("count").asInt() > 0 && body.at("/series/0/value").asDouble() == 1.0,
            PATIENCE);
    assertThat(up.at("/series/0/name").asText()).isEqualTo("up");

    String prometheusMetrics = get("http://127.0.0.1:" + port + "/metrics");
    assertThat(prometheusMetrics)
        .containsPattern("prometheus_remote_storage_samples_total\\{[^}]*\\} [1-9]")
        .containsPattern("prometheus_remote_storage_samples_failed_total\\{[^}]*\\} 0\\n");
    String sentinelMetrics = get(base + "/metrics");
    assertThat(sentinelMetrics).containsPattern("sentinel_ingest_points_total [1-9]");
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
