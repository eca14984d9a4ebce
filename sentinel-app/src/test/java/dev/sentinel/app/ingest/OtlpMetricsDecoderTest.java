package dev.sentinel.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMetricsDecoderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final long START = (NOW.toEpochMilli() - 600_000) * 1_000_000;
  private static final long T = (NOW.toEpochMilli() - 60_000) * 1_000_000;
  private static final long SECOND = 1_000_000_000L;

  private final SeriesRegistry registry = new SeriesRegistry();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final OtlpMetricsDecoder raw = new OtlpMetricsDecoder(registry, clock, false, 1000);
  private final OtlpMetricsDecoder rates = new OtlpMetricsDecoder(registry, clock, true, 1000);

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(attribute("service.name", "checkout"))
                        .addAttributes(attribute("service.instance.id", "pod-1")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  static Metric gauge(String name, double value, long time, KeyValue... attributes) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .setTimeUnixNano(time)
                        .setAsDouble(value)
                        .addAllAttributes(List.of(attributes))))
        .build();
  }

  private static Metric counter(String name, long start, long time, long value) {
    return Metric.newBuilder()
        .setName(name)
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .setStartTimeUnixNano(start)
                        .setTimeUnixNano(time)
                        .setAsInt(value)))
        .build();
  }

  /** The points of a batch by series text; the last value wins. */
  private Map<String, Double> byText(PointBatch batch) {
    Map<String, Double> values = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      values.put(registry.key(batch.seriesId(i)).text(), batch.value(i));
    }
    return values;
  }

  @Test
  void a_gauge_gets_the_resource_and_point_attributes_as_labels() {
    OtlpMetricsDecoder.Decoded decoded =
        raw.decode(request(gauge("system.memory.usage", 42.5, T, attribute("state", "used"))));
    assertThat(decoded.rejected()).isZero();
    assertThat(byText(decoded.points()))
        .containsExactly(
            Map.entry(
                "system.memory.usage{service=\"checkout\",service_instance_id=\"pod-1\",state=\"used\"}",
                42.5));
    assertThat(decoded.points().timestamp(0)).isEqualTo(T / 1_000_000);
  }

  @Test
  void a_request_never_published_registers_no_series_and_keeps_no_baseline() {
    OtlpMetricsDecoder.Decoded refused = rates.decode(request(counter("requests", START, T, 1000)));
    assertThat(refused.staged().size()).isZero(); // a first value is a baseline, not a point
    assertThat(registry.size()).as("series after a request that was not published").isZero();
    // The next request is the first the bus takes: its value is the baseline, not a rate.
    assertThat(rates.decode(request(counter("requests", START, T + 10 * SECOND, 2000))).points())
        .extracting(PointBatch::size)
        .isEqualTo(0);
    assertThat(registry.size()).isEqualTo(1);
    PointBatch third =
        rates.decode(request(counter("requests", START, T + 20 * SECOND, 2500))).points();
    assertThat(third.value(0)).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void a_cumulative_counter_becomes_a_rate_from_its_second_value_and_restarts_after_a_reset() {
    assertThat(rates.decode(request(counter("requests", START, T, 1000))).points().size()).isZero();
    PointBatch second =
        rates.decode(request(counter("requests", START, T + 10 * SECOND, 1500))).points();
    assertThat(second.size()).isEqualTo(1);
    assertThat(second.value(0)).isCloseTo(50.0, within(1e-9));
    // A lower value without a new start time: a reset, so a new baseline and no rate.
    assertThat(
            rates.decode(request(counter("requests", START, T + 20 * SECOND, 10))).points().size())
        .isZero();
    assertThat(
            rates
                .decode(request(counter("requests", START, T + 30 * SECOND, 110)))
                .points()
                .value(0))
        .isCloseTo(10.0, within(1e-9));
    // A new start time (the process restarted): a baseline again.
    long restart = T + 35 * SECOND;
    assertThat(
            rates.decode(request(counter("requests", restart, T + 40 * SECOND, 5))).points().size())
        .isZero();
    // Without rates the raw cumulative value passes.
    assertThat(raw.decode(request(counter("requests", START, T, 1000))).points().value(0))
        .isEqualTo(1000.0);
  }

  @Test
  void a_histogram_becomes_count_sum_and_quantiles_from_its_buckets() {
    Metric histogram =
        Metric.newBuilder()
            .setName("http.server.duration")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(T)
                            .setCount(100)
                            .setSum(20)
                            .addAllExplicitBounds(List.of(0.1, 0.5, 1.0))
                            .addAllBucketCounts(List.of(50L, 40L, 10L, 0L))))
            .build();
    Map<String, Double> values = byText(raw.decode(request(histogram)).points());
    String labels = "{service=\"checkout\",service_instance_id=\"pod-1\"}";
    assertThat(values.get("http.server.duration_count" + labels)).isEqualTo(100.0);
    assertThat(values.get("http.server.duration_sum" + labels)).isEqualTo(20.0);
    assertThat(values.get("http.server.duration_p50" + labels)).isCloseTo(0.1, within(1e-9));
    assertThat(values.get("http.server.duration_p90" + labels)).isCloseTo(0.5, within(1e-9));
    assertThat(values.get("http.server.duration_p99" + labels)).isCloseTo(0.95, within(1e-9));
    assertThat(values.get("http.server.duration_mean" + labels)).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void with_rates_a_cumulative_histogram_reports_the_quantiles_of_the_last_interval() {
    Metric first = cumulativeHistogram(T, 100, 100, 0, 10);
    // 50 new observations, all slow, summing to 40.
    Metric second = cumulativeHistogram(T + 10 * SECOND, 100, 100, 50, 50);
    assertThat(rates.decode(request(first)).points().size()).as("baselines only").isZero();
    Map<String, Double> values = byText(rates.decode(request(second)).points());
    String labels = "{service=\"checkout\",service_instance_id=\"pod-1\"}";
    assertThat(values.get("latency_count" + labels)).isCloseTo(5.0, within(1e-9));
    assertThat(values.get("latency_sum" + labels)).isCloseTo(4.0, within(1e-9));
    assertThat(values.get("latency_mean" + labels)).isCloseTo(0.8, within(1e-9));
    assertThat(values.get("latency_p50" + labels)).isCloseTo(0.75, within(1e-9));
    assertThat(values.get("latency_p90" + labels)).isCloseTo(0.95, within(1e-9));
  }

  private static Metric cumulativeHistogram(
      long time, long fast, long medium, long slow, double sum) {
    return Metric.newBuilder()
        .setName("latency")
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(
                    HistogramDataPoint.newBuilder()
                        .setStartTimeUnixNano(START)
                        .setTimeUnixNano(time)
                        .setCount(fast + medium + slow)
                        .setSum(sum)
                        .addAllExplicitBounds(List.of(0.1, 0.5, 1.0))
                        .addAllBucketCounts(List.of(fast, medium, slow, 0L))))
        .build();
  }

  @Test
  void a_summary_gives_its_quantiles() {
    Metric summary =
        Metric.newBuilder()
            .setName("rpc_latency")
            .setSummary(
                Summary.newBuilder()
                    .addDataPoints(
                        SummaryDataPoint.newBuilder()
                            .setTimeUnixNano(T)
                            .setCount(10)
                            .setSum(3)
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0.5)
                                    .setValue(0.2))
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0.999)
                                    .setValue(0.9))))
            .build();
    Map<String, Double> values = byText(raw.decode(request(summary)).points());
    assertThat(values.keySet())
        .extracting(text -> text.substring(0, text.indexOf('{')))
        .containsExactlyInAnyOrder(
            "rpc_latency_count",
            "rpc_latency_sum",
            "rpc_latency_mean",
            "rpc_latency_p50",
            "rpc_latency_p99_9");
  }

  @Test
  void bad_data_points_are_rejected_and_named_while_the_rest_is_kept() {
    Metric noValue =
        Metric.newBuilder()
            .setName("broken")
            .setGauge(
                Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T)))
            .build();
    OtlpMetricsDecoder.Decoded decoded =
        raw.decode(request(gauge("fine", 1, T), noValue, gauge("ancient", 1, 1_000_000_000L)));
    assertThat(decoded.points().size()).isEqualTo(1);
    assertThat(decoded.rejected()).isEqualTo(2);
    assertThat(decoded.rejectionMessage())
        .startsWith("2 data point(s) rejected")
        .contains("metric 'broken': a data point has neither asDouble nor asInt")
        .contains("metric 'ancient': timeUnixNano (as milliseconds)");
  }

  @Test
  void otlp_json_with_camel_case_string_int64_and_hex_ids_is_read() {
    String json =
        """
        {"resourceMetrics": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "cart"}}]},
          "scopeMetrics": [{"scope": {"name": "demo"}, "metrics": [
            {"name": "queue.depth", "unit": "1", "gauge": {"dataPoints": [
              {"timeUnixNano": "%d", "asInt": "17",
               "attributes": [{"key": "queue", "value": {"stringValue": "orders"}}],
               "exemplars": [{"timeUnixNano": "%d", "asInt": "1",
                 "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174"}]}]}},
            {"name": "jobs", "sum": {"aggregationTemporality": 2, "isMonotonic": true,
              "dataPoints": [{"startTimeUnixNano": "%d", "timeUnixNano": "%d", "asInt": "5"}]}}
          ]}]
        }], "someFutureField": true}
        """
            .formatted(T, T, START, T);
    OtlpMetricsDecoder.Decoded decoded = raw.decode(OtlpMetricsDecoder.parseJson(json));
    assertThat(byText(decoded.points()))
        .containsEntry("queue.depth{queue=\"orders\",service=\"cart\"}", 17.0)
        .containsEntry("jobs{service=\"cart\"}", 5.0);
  }

  @Test
  void a_body_that_is_not_otlp_is_refused_naming_the_problem() {
    assertThatThrownBy(() -> OtlpMetricsDecoder.parseJson("{\"resourceMetrics\": 7}"))
        .isInstanceOf(InvalidPointsException.class)
        .hasMessageContaining("not a valid OTLP JSON");
    assertThatThrownBy(() -> OtlpMetricsDecoder.parseProtobuf(new byte[] {0x0a, 0x7f, 1}))
        .isInstanceOf(InvalidPointsException.class)
        .hasMessageContaining("not a valid ExportMetricsServiceRequest");
  }

  @Test
  void names_and_label_keys_are_sanitised() {
    assertThat(OtlpLabels.metricName("http.server/duration-ms"))
        .isEqualTo("http.server_duration_ms");
    assertThat(OtlpLabels.metricName("9lives")).isEqualTo("_9lives");
    assertThat(OtlpLabels.labelName("k8s.pod.name")).isEqualTo("k8s_pod_name");
  }
}
