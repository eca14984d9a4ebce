package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.app.config.KafkaBusConfig;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.kafka.RecordDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The record decoder each {@code bus.kafka.format} gets: what it takes and what it refuses. */
class KafkaRecordFormatsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final long NANOS = (NOW.toEpochMilli() - 30_000) * 1_000_000;

  private final SeriesRegistry registry = new SeriesRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final PipelineMetrics metrics = new PipelineMetrics(meters);

  private RecordDecoder decoder(String format) {
    return KafkaRecordFormats.decoder(
        format, registry, Clock.fixed(NOW, ZoneOffset.UTC), metrics, /* otlpRates */ false);
  }

  private double skippedNonFinite() {
    return meters
        .get("sentinel.ingest.skipped.points")
        .tag("reason", "nonfinite")
        .counter()
        .count();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static NumberDataPoint.Builder gaugePoint(long nanos, double value) {
    return NumberDataPoint.newBuilder()
        .setTimeUnixNano(nanos)
        .setAsDouble(value)
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("pod")
                .setValue(AnyValue.newBuilder().setStringValue("p-1")));
  }

  private static byte[] otlp(NumberDataPoint.Builder... points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (NumberDataPoint.Builder point : points) {
      gauge.addDataPoints(point);
    }
    return OtlpGauges.request("queue.depth", gauge);
  }

  @Test
  void sentinel_json_batches_are_decoded_and_bad_ones_refused_with_the_field() throws Exception {
    RecordDecoder sentinel = decoder(KafkaBusConfig.SENTINEL);

    PointBatch points =
        sentinel.decode(
            utf8("[{\"name\": \"cpu\", \"labels\": {\"host\": \"h1\"}, \"value\": 0.5}]"));
    assertThat(registry.text(points.seriesId(0))).isEqualTo("cpu{host=\"h1\"}");
    assertThatThrownBy(() -> sentinel.decode(utf8("[{\"name\": \"cpu\", \"value\": \"high\"}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0].value: value must be a finite number");
  }

  @Test
  void prometheus_adapter_samples_are_decoded_non_finite_ones_counted_bad_ones_refused()
      throws Exception {
    RecordDecoder prometheus = decoder(KafkaBusConfig.PROMETHEUS);

    PointBatch points =
        prometheus.decode(
            utf8(
                "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"17\", \"name\": \"up\","
                    + " \"labels\": {\"__name__\": \"up\", \"job\": \"api\"}}"));
    assertThat(registry.text(points.seriesId(0))).isEqualTo("up{job=\"api\"}");
    assertThat(points.value(0)).isEqualTo(17.0);

    PointBatch stale =
        prometheus.decode(
            utf8(
                "{\"timestamp\": \"2026-03-01T11:59:15Z\", \"value\": \"NaN\", \"name\": \"up\","
                    + " \"labels\": {\"__name__\": \"up\", \"job\": \"db\"}}"));
    assertThat(stale.size()).isZero();
    assertThat(skippedNonFinite()).isEqualTo(1.0);
    assertThat(registry.size()).isEqualTo(1);

    assertThatThrownBy(() -> prometheus.decode(utf8("[{\"name\": \"cpu\", \"value\": 1}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("body: a sample must be a JSON object");
  }

  @Test
  void otlp_requests_are_decoded_and_a_record_with_any_rejected_point_is_refused_whole()
      throws Exception {
    RecordDecoder otlp = decoder(KafkaBusConfig.OTLP);

    PointBatch points =
        otlp.decode(otlp(gaugePoint(NANOS, 12), gaugePoint(NANOS + 1_000_000_000L, Double.NaN)));
    assertThat(points.size()).isEqualTo(1);
    assertThat(registry.text(points.seriesId(0)))
        .isEqualTo("queue.depth{pod=\"p-1\",service=\"checkout\"}");
    assertThat(points.value(0)).isEqualTo(12.0);
    assertThat(skippedNonFinite()).isEqualTo(1.0);

    NumberDataPoint.Builder untimed = gaugePoint(0, 3).clearAttributes();
    assertThatThrownBy(() -> otlp.decode(otlp(gaugePoint(NANOS, 13).clearAttributes(), untimed)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 data point(s) rejected")
        .hasMessageContaining("no timeUnixNano");
    assertThat(registry.size()).as("the refused record registered no series").isEqualTo(1);

    assertThatThrownBy(() -> otlp.decode(utf8("{\"resourceMetrics\": []}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid ExportMetricsServiceRequest (protobuf)");
  }
}
