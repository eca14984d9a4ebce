package dev.sentinel.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusAdapterDecoderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final SeriesRegistry registry = new SeriesRegistry();
  private final PrometheusAdapterDecoder decoder =
      new PrometheusAdapterDecoder(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  private PrometheusAdapterDecoder.Decoded decode(String json) {
    return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A sample as the adapter writes it, with {@code value} as given (already quoted or not). */
  private static String sample(String value) {
    return "{\"timestamp\": \"2026-03-01T11:59:30Z\", \"value\": "
        + value
        + ", \"name\": \"http_requests\", \"labels\": {\"__name__\": \"http_requests\","
        + " \"job\": \"api\", \"instance\": \"10.0.0.7:9090\", \"empty\": \"\"}}";
  }

  @Test
  void an_adapter_sample_becomes_one_point_of_its_series() {
    PointBatch points = decode(sample("\"1234.5\"")).points();

    assertThat(points.size()).isEqualTo(1);
    assertThat(registry.text(points.seriesId(0)))
        .isEqualTo("http_requests{instance=\"10.0.0.7:9090\",job=\"api\"}");
    assertThat(points.timestamp(0)).isEqualTo(Instant.parse("2026-03-01T11:59:30Z").toEpochMilli());
    assertThat(points.value(0)).isEqualTo(1234.5);
  }

  @ParameterizedTest
  @CsvSource({"'\"-2\"',-2", "'\"1e3\"',1000", "'\".5\"',0.5", "'\"+7.25\"',7.25", "42,42"})
  void values_are_decimal_strings_or_json_numbers(String value, double expected) {
    assertThat(decode(sample(value)).points().value(0)).isEqualTo(expected);
  }

  @Test
  void the_name_may_come_from_either_field_and_epoch_milliseconds_are_taken() {
    long millis = NOW.toEpochMilli() - 5_000;
    PointBatch onlyTop =
        decode("{\"timestamp\": " + millis + ", \"value\": \"3\", \"name\": \"up\"}").points();
    PointBatch onlyLabel =
        decode(
                "{\"timestamp\": \"2026-03-01T11:59:55Z\", \"value\": \"3\","
                    + " \"labels\": {\"__name__\": \"up\"}}")
            .points();

    assertThat(registry.text(onlyTop.seriesId(0))).isEqualTo("up");
    assertThat(onlyLabel.seriesId(0)).isEqualTo(onlyTop.seriesId(0));
    assertThat(onlyTop.timestamp(0)).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({"NaN", "+Inf", "-Inf", "Inf"})
  void non_finite_values_and_staleness_markers_are_skipped_and_counted(String value) {
    PrometheusAdapterDecoder.Decoded decoded = decode(sample("\"" + value + "\""));

    assertThat(decoded.nonFinite()).isEqualTo(1);
    assertThat(decoded.points().size()).isZero();
    assertThat(registry.size()).as("no series for a skipped sample").isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"value\": \"1\", \"name\": \"up\"}|timestamp: timestamp is required",
        "{\"timestamp\": \"yesterday\", \"value\": \"1\", \"name\": \"up\"}|is not RFC 3339",
        "{\"timestamp\": \"1999-01-01T00:00:00Z\", \"value\": \"1\", \"name\": \"up\"}|timestamp",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"name\": \"up\"}|value: value is required",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"high\", \"name\": \"up\"}"
            + "|value 'high' is not a number",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"0x10\", \"name\": \"up\"}"
            + "|value '0x10' is not a number",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"1\"}|name is required",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"1\", \"name\": \"9up\"}"
            + "|is not a metric name",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"1\", \"name\": \"up\","
            + " \"labels\": {\"__name__\": \"down\"}}|differs from labels.__name__ 'down'",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"1\", \"name\": \"up\","
            + " \"labels\": {\"job\": 3}}|labels.job: label value must be a string",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"1\", \"name\": \"up\","
            + " \"labels\": {\"bad-name\": \"x\"}}|is not a label name",
        "{\"timestamp\": \"2026-03-01T11:59:00Z\", \"value\": \"1\", \"name\": \"up\","
            + " \"labels\": [\"job\"]}|labels must be an object",
        "[1, 2]|a sample must be a JSON object",
        "{\"timestamp\": |malformed JSON",
      })
  void an_invalid_sample_is_refused_naming_the_field_and_registers_nothing(
      String json, String problem) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(InvalidPointsException.class)
        .satisfies(
            e ->
                assertThat(
                        ((InvalidPointsException) e).errors().get(0).field()
                            + ": "
                            + ((InvalidPointsException) e).errors().get(0).message())
                    .contains(problem));
    assertThat(registry.size()).isZero();
  }

  @Test
  void an_empty_record_is_refused() {
    assertThatThrownBy(() -> decoder.decode(new byte[0]))
        .isInstanceOf(InvalidPointsException.class)
        .hasMessageContaining("empty");
  }

  /** One adapter record: {@code labels} as JSON members after {@code __name__}. */
  private static byte[] record(String name, String labels, int second, double value) {
    return ("{\"timestamp\": \"2026-03-01T11:50:%02dZ\", \"value\": \"%s\", \"labels\":"
            + " {\"__name__\": \"%s\", \"job\": \"api\"%s}}")
        .formatted(second, value, name, labels)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The points of one record with rates on: series text to value. */
  private Map<String, Double> values(PrometheusAdapterDecoder rates, byte[] record) {
    PointBatch points = rates.decode(record).points();
    Map<String, Double> values = new LinkedHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      values.put(registry.key(points.seriesId(i)).text(), points.value(i));
    }
    return values;
  }

  @Test
  void with_rates_a_counter_becomes_a_rate_and_buckets_become_quantiles_as_on_remote_write() {
    PrometheusAdapterDecoder rates =
        new PrometheusAdapterDecoder(registry, Clock.fixed(NOW, ZoneOffset.UTC), true, 100);
    assertThat(values(rates, record("http_requests_total", "", 0, 500))).isEmpty();
    assertThat(values(rates, record("http_requests_total", "", 10, 600)))
        .containsExactly(Map.entry("http_requests_total{job=\"api\"}", 10.0));
    assertThat(values(rates, record("http_requests_total", "", 20, 30)))
        .as("a reset: counted from zero")
        .containsExactly(Map.entry("http_requests_total{job=\"api\"}", 3.0));

    String[] bounds = {"0.1", "1", "+Inf"};
    double[][] scrapes = {{5, 5, 5}, {5, 25, 25}};
    Map<String, Double> last = new LinkedHashMap<>();
    for (int scrape = 0; scrape < scrapes.length; scrape++) {
      for (int b = 0; b < bounds.length; b++) {
        String le = ", \"le\": \"" + bounds[b] + "\"";
        last.putAll(
            values(rates, record("rpc_seconds_bucket", le, 10 * scrape, scrapes[scrape][b])));
      }
    }
    // 20 new observations, all in (0.1, 1]: the median halfway through it.
    assertThat(last).containsEntry("rpc_seconds_p50{job=\"api\"}", 0.55);
    assertThat(last.keySet()).noneMatch(text -> text.contains("_bucket"));
  }
}
