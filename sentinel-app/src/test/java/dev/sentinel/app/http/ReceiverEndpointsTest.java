package dev.sentinel.app.http;

import static dev.sentinel.app.ingest.RemoteWriteBody.labels;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.Role;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.ingest.RemoteWriteBody;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The Prometheus remote-write and OTLP/HTTP receivers over real HTTP, with an ingest key as
 * Prometheus ({@code authorization:}) and the OpenTelemetry Collector ({@code headers:}) send it.
 */
class ReceiverEndpointsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CAPACITY = 1000;
  private final CountDownLatch consumerGate = new CountDownLatch(1);
  private final AtomicLong consumed = new AtomicLong();
  private volatile boolean gated;
  private InProcessTelemetryBus bus;
  private ApiServer server;
  private Http http;
  private String ingestKey;
  private String viewerKey;
  private final long now = System.currentTimeMillis();

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
    bus =
        new InProcessTelemetryBus(
            1,
            CAPACITY,
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
    TestStateStore.reset();
    AuditTrail audit = TestStateStore.auditTrail();
    ApiKeyStore keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    ingestKey = keys.create("prometheus", Role.INGEST, "test").secret();
    viewerKey = keys.create("dashboard", Role.VIEWER, "test").secret();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server =
        new ApiServer(
            TestParts.of(bus, clock, meters, Map.of(), AuthConfig.defaults(), keys, audit));
    http = new Http("http://127.0.0.1:" + server.start());
  }

  @AfterEach
  void stop() {
    consumerGate.countDown();
    server.close();
    bus.close();
  }

  private HttpResponse<String> remoteWrite(byte[] body, String contentType) throws Exception {
    HttpRequest.Builder request =
        http.request("/api/v1/write", ingestKey)
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request);
  }

  private HttpResponse<byte[]> otlp(String path, byte[] body, String contentType, boolean gzip)
      throws Exception {
    HttpRequest.Builder request = http.request(path, ingestKey).header("Content-Type", contentType);
    if (gzip) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
        out.write(body);
      }
      body = zipped.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    return http.client()
        .send(
            request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private void awaitConsumed(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (consumed.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(consumed.get()).isEqualTo(expected);
  }

  @Test
  void remote_write_is_accepted_with_204_and_its_series_are_listed() throws Exception {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    byte[] body =
        new RemoteWriteBody()
            .series(labels("__name__", "up", "job", "prometheus"), now - 2000, 1, now - 1000, 1)
            .series(labels("__name__", "gone", "job", "prometheus"), now - 1000, stale)
            .snappy();
    HttpResponse<String> response = remoteWrite(body, "application/x-protobuf");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    awaitConsumed(2);
    JsonNode series = JSON.readTree(http.get("/api/v1/series?match=up", viewerKey).body());
    assertThat(series.get("count").asInt()).isEqualTo(1);
    assertThat(series.at("/series/0/series").asText()).isEqualTo("up{job=\"prometheus\"}");
    assertThat(series.at("/series/0/labels/job").asText()).isEqualTo("prometheus");
    String metrics = http.get("/metrics", null).body();
    assertThat(metrics).contains("sentinel_ingest_skipped_points_total{reason=\"stale\"} 1.0");
  }

  @Test
  void remote_write_answers_400_naming_the_problem_and_415_for_version_2() throws Exception {
    HttpResponse<String> garbage =
        remoteWrite(new byte[] {1, 2, 3, 4, 5}, "application/x-protobuf");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("not a valid Snappy block");
    byte[] unnamed = new RemoteWriteBody().series(labels("job", "x"), now, 1).snappy();
    HttpResponse<String> invalid = remoteWrite(unnamed, "application/x-protobuf");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(invalid.body()).at("/errors/0/field").asText())
        .isEqualTo("timeseries[0].labels");
    HttpResponse<String> v2 =
        remoteWrite(unnamed, "application/x-protobuf;proto=io.prometheus.write.v2.Request");
    assertThat(v2.statusCode()).isEqualTo(415);
    assertThat(v2.body()).contains("remote-write 2.0 is not supported");
    assertThat(remoteWrite(unnamed, "application/json").statusCode()).isEqualTo(415);
  }

  @Test
  void remote_write_answers_503_with_retry_after_when_the_pipeline_is_full() throws Exception {
    gated = true;
    RemoteWriteBody filling = new RemoteWriteBody();
    for (int i = 0; i < CAPACITY - 1; i++) {
      filling.series(labels("__name__", "fill", "i", Integer.toString(i)), now, i);
    }
    assertThat(remoteWrite(filling.snappy(), "application/x-protobuf").statusCode()).isEqualTo(204);
    byte[] more =
        new RemoteWriteBody().series(labels("__name__", "more"), now, 1, now + 1, 2).snappy();
    HttpResponse<String> refused = remoteWrite(more, "application/x-protobuf");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(seriesMatching("more")).as("series of the refused batch").isZero();
    consumerGate.countDown();
    awaitConsumed(CAPACITY - 1);
    assertThat(remoteWrite(more, "application/x-protobuf").statusCode()).isEqualTo(204);
    assertThat(seriesMatching("more")).as("series once the batch is accepted").isEqualTo(1);
  }

  private int seriesMatching(String match) throws Exception {
    return JSON.readTree(http.get("/api/v1/series?match=" + match, viewerKey).body())
        .get("count")
        .asInt();
  }

  private ExportMetricsServiceRequest gauges(String service, int count) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (int i = 0; i < count; i++) {
      scope.addMetrics(
          Metric.newBuilder()
              .setName("queue.depth")
              .setGauge(
                  Gauge.newBuilder()
                      .addDataPoints(
                          NumberDataPoint.newBuilder()
                              .setTimeUnixNano(now * 1_000_000)
                              .setAsInt(i)
                              .addAttributes(
                                  KeyValue.newBuilder()
                                      .setKey("queue")
                                      .setValue(AnyValue.newBuilder().setStringValue("q" + i))))));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeMetrics(scope))
        .build();
  }

  @Test
  void otlp_protobuf_and_gzip_json_are_accepted_with_an_export_response() throws Exception {
    HttpResponse<byte[]> binary =
        otlp("/v1/metrics", gauges("cart", 3).toByteArray(), "application/x-protobuf", false);
    assertThat(binary.statusCode()).isEqualTo(200);
    assertThat(binary.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/x-protobuf");
    assertThat(ExportMetricsServiceResponse.parseFrom(binary.body()).hasPartialSuccess()).isFalse();
    String json = com.google.protobuf.util.JsonFormat.printer().print(gauges("shop", 2));
    HttpResponse<byte[]> text =
        otlp(
            "/api/v1/otlp/v1/metrics",
            json.getBytes(StandardCharsets.UTF_8),
            "application/json",
            true);
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    awaitConsumed(5);
    JsonNode series =
        JSON.readTree(http.get("/api/v1/series?match=queue.depth&limit=2", viewerKey).body());
    assertThat(series.get("matched").asInt()).isEqualTo(5);
    assertThat(series.get("count").asInt()).isEqualTo(2);
  }

  @Test
  void otlp_reports_rejected_points_as_partial_success() throws Exception {
    ExportMetricsServiceRequest request =
        gauges("cart", 1).toBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("broken")
                                    .setGauge(
                                        Gauge.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder().setAsInt(1))))))
            .build();
    HttpResponse<byte[]> response =
        otlp("/v1/metrics", request.toByteArray(), "application/x-protobuf", false);
    assertThat(response.statusCode()).isEqualTo(200);
    var partial = ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess();
    assertThat(partial.getRejectedDataPoints()).isEqualTo(1);
    assertThat(partial.getErrorMessage()).contains("metric 'broken'").contains("no timeUnixNano");
  }

  @Test
  void otlp_answers_400_415_and_429_with_a_status() throws Exception {
    HttpResponse<byte[]> bad =
        otlp(
            "/v1/metrics",
            "{\"resourceMetrics\": 3}".getBytes(StandardCharsets.UTF_8),
            "application/json",
            false);
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode status = JSON.readTree(bad.body());
    assertThat(status.get("code").asInt()).isEqualTo(3);
    assertThat(status.get("message").asText()).contains("not a valid OTLP JSON");
    assertThat(otlp("/v1/metrics", new byte[] {1}, "text/plain", false).statusCode())
        .isEqualTo(415);
    HttpResponse<byte[]> badBinary =
        otlp("/v1/metrics", new byte[] {0x0a, 0x7f}, "application/x-protobuf", false);
    assertThat(badBinary.statusCode()).isEqualTo(400);
    // google.rpc.Status { int32 code = 1; string message = 2; }
    var in = com.google.protobuf.CodedInputStream.newInstance(badBinary.body());
    assertThat(in.readTag()).isEqualTo(0x08);
    assertThat(in.readInt32()).isEqualTo(3);
    assertThat(in.readTag()).isEqualTo(0x12);
    assertThat(in.readString()).contains("not a valid ExportMetricsServiceRequest");

    gated = true;
    assertThat(
            otlp(
                    "/v1/metrics",
                    gauges("cart", CAPACITY - 1).toByteArray(),
                    "application/x-protobuf",
                    false)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> full =
        otlp("/v1/metrics", gauges("basket", 2).toByteArray(), "application/x-protobuf", false);
    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(seriesMatching("basket")).as("series of the refused batch").isZero();
  }
}
