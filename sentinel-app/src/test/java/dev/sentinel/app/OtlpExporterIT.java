package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK's own OTLP/HTTP metric exporter (the real client, binary protobuf)
 * sends a gauge, a counter and a histogram to a real {@code sentinel run} process with an ingest
 * key; the series must arrive (OTLP names as they are, dots kept) with the resource's {@code
 * service.name} as {@code service}.
 */
class OtlpExporterIT {

  private static final String ADMIN = "snt_otlp_exporter_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void the_sdks_otlp_http_exporter_delivers_gauges_counters_and_histograms() throws Exception {
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
      String ingestKey = admin.createKey("otel-sdk", "ingest");

      OtlpHttpMetricExporter exporter =
          OtlpHttpMetricExporter.builder()
              .setEndpoint(base + "/v1/metrics")
              .addHeader("Authorization", "Bearer " + ingestKey)
              .build();
      SdkMeterProvider provider =
          SdkMeterProvider.builder()
              .setResource(
                  Resource.getDefault()
                      .merge(
                          Resource.create(
                              Attributes.of(AttributeKey.stringKey("service.name"), "payments"))))
              .registerMetricReader(
                  PeriodicMetricReader.builder(exporter).setInterval(Duration.ofSeconds(1)).build())
              .build();
      try {
        Meter meter = provider.get("dev.sentinel.test");
        Attributes route = Attributes.of(AttributeKey.stringKey("route"), "/pay");
        meter.gaugeBuilder("queue.depth").buildWithCallback(gauge -> gauge.record(42, route));
        meter.counterBuilder("payments.processed").build().add(7, route);
        var latency = meter.histogramBuilder("payments.latency").setUnit("ms").build();
        for (int i = 1; i <= 100; i++) {
          latency.record(i, route);
        }
        CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
        assertThat(flushed.isSuccess()).as("the exporter's export succeeded").isTrue();
        // Cumulative histograms give the quantiles of an interval: the first export is their
        // baseline, so observe more and export again.
        for (int i = 1; i <= 100; i++) {
          latency.record(i, route);
        }
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

        JsonNode gauge =
            admin.await(
                "/api/v1/series?match=queue.depth",
                body -> body.get("count").asInt() > 0 && body.at("/series/0/value").isNumber(),
                Duration.ofSeconds(15));
        assertThat(gauge.at("/series/0/labels/service").asText()).isEqualTo("payments");
        assertThat(gauge.at("/series/0/labels/route").asText()).isEqualTo("/pay");
        assertThat(gauge.at("/series/0/value").asDouble()).isEqualTo(42.0);
        JsonNode p99 =
            admin.await(
                "/api/v1/series?match=payments.latency_p99",
                body -> body.get("count").asInt() > 0 && body.at("/series/0/value").isNumber(),
                PATIENCE);
        // 100 observations 1..100 in the SDK's default buckets (.., 75, 100, ..): within (75, 100].
        assertThat(p99.at("/series/0/value").asDouble()).isBetween(75.0, 100.0);
        admin.await(
            "/api/v1/series?match=payments.processed",
            body -> body.get("count").asInt() > 0,
            PATIENCE);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + "\n--- all series ---\n"
                + admin.get("/api/v1/series?limit=50").body()
                + "\n--- sentinel log ---\n"
                + sentinel.log(),
            e);
      } finally {
        provider.shutdown().join(10, TimeUnit.SECONDS);
      }
    }
  }
}
