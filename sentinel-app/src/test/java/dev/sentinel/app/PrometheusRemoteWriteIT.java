package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  private static Optional<Path> prometheusBinary() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void prometheus_own_series_arrive_through_remote_write_and_are_listed() throws Exception {
    Optional<Path> prometheus = prometheusBinary();
    Prerequisites.require(
        prometheus.isPresent(),
        "no prometheus binary on the PATH: run scripts/prometheus.sh (installs Debian's 2.42)");

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

      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
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
              .formatted(port, base, ingestKey));
      Process server =
          new ProcessBuilder(
                  prometheus.get().toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
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
                body ->
                    body.get("count").asInt() > 0 && body.at("/series/0/value").asDouble() == 1.0,
                PATIENCE);
        assertThat(up.at("/series/0/name").asText()).isEqualTo("up");

        String prometheusMetrics = get("http://127.0.0.1:" + port + "/metrics");
        assertThat(prometheusMetrics)
            .containsPattern("prometheus_remote_storage_samples_total\\{[^}]*\\} [1-9]")
            .containsPattern("prometheus_remote_storage_samples_failed_total\\{[^}]*\\} 0\\n");
        String sentinelMetrics = get(base + "/metrics");
        assertThat(sentinelMetrics).containsPattern("sentinel_ingest_points_total [1-9]");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + "\n--- prometheus log ---\n"
                + Files.readString(dir.resolve("prometheus.log")),
            e);
      } finally {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
