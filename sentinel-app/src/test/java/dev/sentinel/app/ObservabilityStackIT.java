package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sentinel.app.observe.TraceIds;
import dev.sentinel.testing.Prerequisites;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observability stack people already run, for real: Debian's Prometheus 2.42, Alertmanager 0.25
 * and node exporter 1.5 on loopback, around a real {@code sentinel run} process.
 *
 * <p>Prometheus scrapes node exporter, a test target (a gauge {@code checkout_latency_ms} whose
 * value this test moves) and Sentinel's own {@code /metrics}, and remote-writes everything to
 * Sentinel. When the gauge jumps, Sentinel detects it and opens an incident for service {@code
 * checkout}; Prometheus' rule on the same gauge fires, Alertmanager posts the alert to Sentinel
 * with an ingest key, and the alert must join that incident. On the way: Sentinel's JSON logs carry
 * a trace id on every line, and the workflow's spans reach an OTLP endpoint (served by this test).
 * Skipped when a binary is missing (scripts/prometheus.sh installs them).
 */
class ObservabilityStackIT {

  private static final String ADMIN = "snt_observability_stack_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private HttpServer target;
  private volatile double level = 100;
  private final Set<String> tracedIncidents = ConcurrentHashMap.newKeySet();

  private static Optional<Path> binary(String name) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
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

  private Process start(String name, String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(process);
    return process;
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : processes.reversed()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (target != null) {
      target.stop(0);
    }
  }

  /**
   * The scrape target and the trace collector in one small server: {@code /metrics} shows the gauge
   * around {@link #level} with a little noise (the detectors need a spread to learn), and {@code
   * /v1/traces} takes OTLP/HTTP spans from Sentinel and notes their incident ids.
   */
  private int startTarget() throws IOException {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext(
        "/metrics",
        exchange -> {
          double value = level + ThreadLocalRandom.current().nextDouble(-3, 3);
          byte[] body =
              String.format(
                      Locale.ROOT,
                      "# TYPE checkout_latency_ms gauge%ncheckout_latency_ms{route=\"/pay\"} %.3f%n",
                      value)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    target.createContext(
        "/v1/traces",
        exchange -> {
          ExportTraceServiceRequest request =
              ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
          request.getResourceSpansList().stream()
              .flatMap(resource -> resource.getScopeSpansList().stream())
              .flatMap(scope -> scope.getSpansList().stream())
              .flatMap(span -> span.getAttributesList().stream())
              .filter(attribute -> attribute.getKey().equals("sentinel.incident.id"))
              .forEach(attribute -> tracedIncidents.add(attribute.getValue().getStringValue()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    target.start();
    return target.getAddress().getPort();
  }

  @Test
  void prometheus_alertmanager_and_node_exporter_feed_sentinel_and_the_alert_joins_the_incident()
      throws Exception {
    Optional<Path> prometheus = binary("prometheus");
    Optional<Path> alertmanager = binary("prometheus-alertmanager");
    Optional<Path> nodeExporter = binary("prometheus-node-exporter");
    Prerequisites.require(
        prometheus.isPresent() && alertmanager.isPresent() && nodeExporter.isPresent(),
        "prometheus, prometheus-alertmanager or prometheus-node-exporter is not on the PATH: run"
            + " scripts/prometheus.sh (installs Debian's packages)");

    int targetPort = startTarget();
    // Detection tuned for a 1 s scrape: a short warm-up on the test's gauge only.
    Path config = dir.resolve("sentinel.yml");
    Files.writeString(
        config,
        """
        log: {format: json}
        observability: {otlpEndpoint: 'http://127.0.0.1:%d'}
        detection:
          overrides:
            - metric: checkout_latency_ms
              detection: {minSamples: 12, windowSize: 16, detectors: [ZSCORE, ROBUST]}
        """
            .formatted(targetPort));
    try (SentinelProcess sentinel =
        SentinelProcess.start(
            Map.of("SENTINEL_ADMIN_KEY", ADMIN),
            "run",
            "--port",
            "0",
            "--config",
            config.toString(),
            "--data-dir",
            dir.resolve("sentinel").toString())) {
      String base = sentinel.awaitReady(PATIENCE);
      int sentinelPort = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
      SentinelApi admin = new SentinelApi(base, ADMIN);
      String ingestKey = admin.createKey("prometheus", "ingest");

      int nodePort = freePort();
      int alertmanagerPort = freePort();
      int prometheusPort = freePort();
      start(
          "node-exporter",
          nodeExporter.get().toString(),
          "--web.listen-address=127.0.0.1:" + nodePort);
      Path amConfig = dir.resolve("am.yml");
      Files.writeString(
          amConfig,
          """
          route: {receiver: sentinel, group_by: [alertname, service], group_wait: 1s, group_interval: 1s, repeat_interval: 1h}
          receivers:
            - name: sentinel
              webhook_configs:
                - url: %s/api/v1/alerts/alertmanager
                  send_resolved: true
                  http_config: {authorization: {credentials: '%s'}}
          """
              .formatted(base, ingestKey));
      start(
          "alertmanager",
          alertmanager.get().toString(),
          "--config.file=" + amConfig,
          "--storage.path=" + dir.resolve("am"),
          "--web.listen-address=127.0.0.1:" + alertmanagerPort,
          "--cluster.listen-address=");
      Path rules = dir.resolve("rules.yml");
      Files.writeString(
          rules,
          """
          groups:
            - name: checkout
              rules:
                - alert: CheckoutSlow
                  expr: checkout_latency_ms > 300
                  for: 0s
                  labels: {severity: warning}
                  annotations: {summary: 'checkout p99 over 300 ms', description: 'the pay route is slow'}
          """);
      Path promConfig = dir.resolve("prometheus.yml");
      Files.writeString(
          promConfig,
          """
          global: {scrape_interval: 1s, evaluation_interval: 1s}
          rule_files: ['%s']
          alerting:
            alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}]}]
          scrape_configs:
            - job_name: node
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: checkout
              static_configs: [{targets: ['127.0.0.1:%d'], labels: {service: checkout}}]
            - job_name: sentinel
              static_configs: [{targets: ['127.0.0.1:%d']}]
          remote_write:
            - url: %s/api/v1/write
              authorization: {credentials: '%s'}
              queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
          """
              .formatted(
                  rules, alertmanagerPort, nodePort, targetPort, sentinelPort, base, ingestKey));
      start(
          "prometheus",
          prometheus.get().toString(),
          "--config.file=" + promConfig,
          "--storage.tsdb.path=" + dir.resolve("tsdb"),
          "--web.listen-address=127.0.0.1:" + prometheusPort,
          "--rules.alert.resend-delay=2s");
      SentinelApi prometheusApi = new SentinelApi("http://127.0.0.1:" + prometheusPort, null);

      try {
        awaitAnswer("http://127.0.0.1:" + prometheusPort + "/-/ready");
        awaitAnswer("http://127.0.0.1:" + alertmanagerPort + "/-/ready");
        // Prometheus scrapes Sentinel's /metrics.
        prometheusApi.await(
            "/api/v1/query?query="
                + URLEncoder.encode("up{job=\"sentinel\"} == 1", StandardCharsets.UTF_8),
            body -> body.at("/data/result").size() == 1,
            PATIENCE);
        // Node exporter's and the target's series arrive in Sentinel through remote write.
        admin.await(
            "/api/v1/series?match=node_load1",
            body -> body.get("count").asInt() > 0 && body.at("/series/0/value").isNumber(),
            PATIENCE);
        admin.await(
            "/api/v1/series?match=checkout_latency_ms",
            body ->
                body.get("count").asInt() > 0
                    && body.at("/series/0/labels/service").asText().equals("checkout"),
            PATIENCE);

        // Warm-up at the normal level, then the jump: 12 samples for the detectors and 30 scored
        // ones for the likelihood that decides, at 1 s, with a margin for remote write's batching.
        Thread.sleep(50_000);
        assertThat(admin.get("/api/v1/incidents?service=checkout").body().get("incidents"))
            .as("no incident before the change")
            .isEmpty();
        level = 500;

        JsonNode incidents =
            admin.await(
                "/api/v1/incidents?service=checkout",
                body -> body.get("incidents").size() > 0,
                PATIENCE);
        String incidentId = incidents.at("/incidents/0/id").asText();

        JsonNode detail =
            admin.await(
                "/api/v1/incidents/" + incidentId,
                body -> alertEvent(body, "firing").isPresent(),
                PATIENCE);
        JsonNode alert = alertEvent(detail, "firing").orElseThrow();
        assertThat(alert.at("/details/labels").asText()).contains("service=checkout");
        assertThat(alert.at("/details/annotation.summary").asText())
            .isEqualTo("checkout p99 over 300 ms");
        assertThat(alert.at("/details/annotation.description").asText())
            .isEqualTo("the pay route is slow");
        assertThat(alert.at("/details/startsAt").asText()).endsWith("Z");
        assertThat(alert.at("/details/requestId").asText()).isNotBlank();
        assertThat(detail.get("series").toString())
            .contains("checkout_latency_ms")
            .contains("ALERTS{alertname=\\\"CheckoutSlow\\\"");
        assertThat(admin.get("/api/v1/incidents?service=checkout").body().get("incidents"))
            .as("the alert joined the anomaly's incident instead of opening another")
            .hasSize(1);
        JsonNode audit = admin.get("/api/v1/audit?incident=" + incidentId).body();
        assertThat(audit.toString()).contains("CheckoutSlow");

        // The workflow's spans reached the OTLP endpoint, tagged with the incident.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!tracedIncidents.contains(incidentId) && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        assertThat(tracedIncidents).contains(incidentId);

        // The value comes back: Alertmanager sends the resolution, noted on the timeline.
        level = 100;
        admin.await(
            "/api/v1/incidents/" + incidentId,
            body -> alertEvent(body, "resolved").isPresent(),
            PATIENCE);

        // Sentinel's own series came back through remote write the whole time (Prometheus scrapes
        // it) and are stored, but they are not judged: no incident names one.
        admin.await(
            "/api/v1/series?match=sentinel_ingest_points_total",
            body -> body.get("count").asInt() > 0,
            PATIENCE);
        for (JsonNode incident : admin.get("/api/v1/incidents").body().get("incidents")) {
          String id = incident.get("id").asText();
          assertThat(admin.get("/api/v1/incidents/" + id).body().get("series").toString())
              .as("incident " + id)
              .doesNotContain("sentinel_");
        }

        String metrics = new SentinelApi(base, null).getText("/metrics");
        assertThat(metrics)
            .containsPattern(
                "sentinel_alerts_received_total\\{outcome=\"attached\",status=\"firing\"\\} [1-9]")
            .containsPattern(
                "sentinel_http_requests_seconds_count\\{method=\"POST\",route=\"/api/v1/write\",status=\"204\"\\} [1-9]")
            .contains("sentinel_health_status{component=\"telemetryStore\"}")
            .contains("sentinel_incidents{state=\"open\"}")
            .contains("sentinel_approval_breaker_open")
            .contains("sentinel_workflow_step_duration_seconds_bucket");

        // JSON logs: one object per line, every one with a trace id; the incident's lines share
        // one.
        List<JsonNode> lines = new ArrayList<>();
        for (String line : sentinel.log().split("\n")) {
          if (line.startsWith("{")) {
            lines.add(JSON.readTree(line));
          }
        }
        assertThat(lines)
            .isNotEmpty()
            .allSatisfy(line -> assertThat(line.get("traceId").asText()).hasSize(32));
        assertThat(lines)
            .anySatisfy(
                line ->
                    assertThat(line.get("traceId").asText()).isEqualTo(TraceIds.of(incidentId)));
      } catch (AssertionError e) {
        StringBuilder logs = new StringBuilder(e.getMessage());
        for (String name : List.of("prometheus", "alertmanager", "node-exporter")) {
          Path log = dir.resolve(name + ".log");
          if (Files.exists(log)) {
            String text = Files.readString(log);
            logs.append("\n--- ")
                .append(name)
                .append(" log (tail) ---\n")
                .append(text.substring(Math.max(0, text.length() - 4000)));
          }
        }
        String own = sentinel.log();
        logs.append("\n--- sentinel log (tail) ---\n")
            .append(own.substring(Math.max(0, own.length() - 6000)));
        throw new AssertionError(logs.toString(), e);
      }
    }
  }

  /** Waits until a freshly started process answers 200 on {@code url}. */
  private static void awaitAnswer(String url) throws InterruptedException {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var response =
            client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(url + " did not answer 200 within " + PATIENCE);
  }

  private static Optional<JsonNode> alertEvent(JsonNode incident, String status) {
    for (JsonNode event : incident.get("timeline")) {
      if (event.get("kind").asText().equals("alert")
          && event.at("/details/alertname").asText().equals("CheckoutSlow")
          && event.at("/details/status").asText().equals(status)) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }
}
