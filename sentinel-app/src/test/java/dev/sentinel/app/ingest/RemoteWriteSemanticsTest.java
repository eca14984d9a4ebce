package dev.sentinel.app.ingest;

import static dev.sentinel.app.ingest.RemoteWriteBody.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counters, histograms and gauges as remote write carries them, read with rates on. */
class RemoteWriteSemanticsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final long T = NOW.toEpochMilli() - 600_000;
  private static final long SECOND = 1000;
  private static final String JOB = "{job=\"api\"}";

  private final SeriesRegistry registry = new SeriesRegistry();
  private final RemoteWriteDecoder decoder =
      new RemoteWriteDecoder(registry, Clock.fixed(NOW, ZoneOffset.UTC), true, 1000);

  /** Decodes and publishes one request: the points by series text, in batch order. */
  private Map<String, Double> send(RemoteWriteBody body) {
    byte[] bytes = body.protobuf();
    PointBatch points = decoder.decode(bytes, bytes.length).points();
    Map<String, Double> values = new LinkedHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      values.put(registry.key(points.seriesId(i)).text(), points.value(i));
    }
    return values;
  }

  private static RemoteWriteBody counter(String name, long time, double value) {
    return new RemoteWriteBody().series(labels("__name__", name, "job", "api"), time, value);
  }

  @Test
  void a_total_counter_becomes_a_rate_per_second_with_resets_counted_from_zero() {
    assertThat(send(counter("http_requests_total", T, 100)))
        .as("first sample: a baseline")
        .isEmpty();
    assertThat(send(counter("http_requests_total", T + 10 * SECOND, 160)))
        .containsExactly(Map.entry("http_requests_total" + JOB, 6.0));
    // The process restarted: 20 requests since, in 10 s.
    assertThat(send(counter("http_requests_total", T + 20 * SECOND, 20)))
        .containsExactly(Map.entry("http_requests_total" + JOB, 2.0));
    assertThat(send(counter("http_requests_total", T + 30 * SECOND, 50)))
        .containsExactly(Map.entry("http_requests_total" + JOB, 3.0));
    // A repeat of a sample already seen (a retried request) gives no rate.
    assertThat(send(counter("http_requests_total", T + 30 * SECOND, 50))).isEmpty();
  }

  @Test
  void the_samples_of_a_new_counter_in_one_request_give_rates_from_the_second_on() {
    byte[] bytes =
        new RemoteWriteBody()
            .series(
                labels("__name__", "bytes_sent_total", "job", "api"),
                T,
                1000,
                T + 5 * SECOND,
                1500,
                T + 10 * SECOND,
                300)
            .protobuf();
    PointBatch points = decoder.decode(bytes, bytes.length).points();
    assertThat(points.size()).isEqualTo(2);
    assertThat(points.timestamp(0)).isEqualTo(T + 5 * SECOND);
    assertThat(points.value(0)).isEqualTo(100.0);
    assertThat(points.value(1)).as("a drop: a restart from zero").isEqualTo(60.0);
    // The last sample became the baseline once the series was registered.
    assertThat(send(counter("bytes_sent_total", T + 15 * SECOND, 800)))
        .containsExactly(Map.entry("bytes_sent_total" + JOB, 100.0));
  }

  @Test
  void metadata_types_a_counter_without_the_suffix_and_keeps_a_gauge_named_total_raw() {
    RemoteWriteBody first =
        counter("jobs_processed", T, 10)
            .series(labels("__name__", "queue_total", "job", "api"), T, 7)
            .metadata(MetricFamilies.COUNTER, "jobs_processed")
            .metadata(MetricFamilies.GAUGE, "queue_total");
    assertThat(send(first)).containsExactly(Map.entry("queue_total" + JOB, 7.0));
    RemoteWriteBody second =
        counter("jobs_processed", T + 4 * SECOND, 30)
            .series(labels("__name__", "queue_total", "job", "api"), T + 4 * SECOND, 3);
    assertThat(send(second))
        .containsExactly(
            Map.entry("jobs_processed" + JOB, 5.0), Map.entry("queue_total" + JOB, 3.0));
  }

  @Test
  void a_summary_typed_by_metadata_gives_rates_of_its_count_and_sum_and_keeps_its_quantiles() {
    RemoteWriteBody metadataOnly = new RemoteWriteBody().metadata(MetricFamilies.SUMMARY, "rpc");
    assertThat(send(metadataOnly)).isEmpty();
    for (int scrape = 0; scrape < 2; scrape++) {
      long time = T + scrape * 10 * SECOND;
      Map<String, Double> values =
          send(
              new RemoteWriteBody()
                  .series(labels("__name__", "rpc", "job", "api", "quantile", "0.9"), time, 0.2)
                  .series(labels("__name__", "rpc_count", "job", "api"), time, 100 + 50 * scrape)
                  .series(labels("__name__", "rpc_sum", "job", "api"), time, 10 + 5.0 * scrape));
      if (scrape == 0) {
        assertThat(values).containsOnlyKeys("rpc{job=\"api\",quantile=\"0.9\"}");
      } else {
        assertThat(values)
            .containsEntry("rpc{job=\"api\",quantile=\"0.9\"}", 0.2)
            .containsEntry("rpc_count" + JOB, 5.0)
            .containsEntry("rpc_sum" + JOB, 0.5);
        assertThat(values.get("rpc_mean" + JOB)).isCloseTo(0.1, within(1e-9));
      }
    }
  }

  @Test
  void gauges_and_a_count_of_no_known_histogram_stay_as_they_are() {
    RemoteWriteBody body =
        new RemoteWriteBody()
            .series(labels("__name__", "memory_used_bytes", "job", "api"), T, 4.3e9)
            .series(labels("__name__", "cpu_count", "job", "api"), T, 8);
    assertThat(send(body))
        .containsExactly(
            Map.entry("memory_used_bytes" + JOB, 4.3e9), Map.entry("cpu_count" + JOB, 8.0));
    assertThat(send(body)).as("a gauge repeats its value; no rate").hasSize(2);
  }

  /**
   * A scrape of histogram {@code latency_seconds}: cumulative bucket counts for le 0.1, 0.5, 1 and
   * +Inf, then the sum and count, sent the way the sum and count come before the buckets.
   */
  private static RemoteWriteBody histogram(
      long time, long fast, long medium, long slow, double sum) {
    return new RemoteWriteBody()
        .series(
            labels("__name__", "latency_seconds_count", "job", "api"), time, fast + medium + slow)
        .series(labels("__name__", "latency_seconds_sum", "job", "api"), time, sum)
        .series(labels("__name__", "latency_seconds_bucket", "job", "api", "le", "0.1"), time, fast)
        .series(
            labels("__name__", "latency_seconds_bucket", "job", "api", "le", "0.5"),
            time,
            fast + medium)
        .series(
            labels("__name__", "latency_seconds_bucket", "job", "api", "le", "1"),
            time,
            fast + medium + slow)
        .series(
            labels("__name__", "latency_seconds_bucket", "le", "+Inf", "job", "api"),
            time,
            fast + medium + slow);
  }

  @Test
  void histogram_buckets_become_quantiles_of_the_last_interval_and_the_mean() {
    assertThat(send(histogram(T, 10, 10, 10, 5))).as("first scrape: baselines").isEmpty();
    // 100 new observations, all between 0.5 and 1, summing to 75.
    Map<String, Double> values = send(histogram(T + 10 * SECOND, 10, 10, 110, 80));
    assertThat(values.get("latency_seconds_count" + JOB)).isCloseTo(10.0, within(1e-9));
    assertThat(values.get("latency_seconds_sum" + JOB)).isCloseTo(7.5, within(1e-9));
    assertThat(values.get("latency_seconds_mean" + JOB)).isCloseTo(0.75, within(1e-9));
    assertThat(values.get("latency_seconds_p50" + JOB)).isCloseTo(0.75, within(1e-9));
    assertThat(values.get("latency_seconds_p90" + JOB)).isCloseTo(0.95, within(1e-9));
    assertThat(values.get("latency_seconds_p99" + JOB)).isCloseTo(0.995, within(1e-9));
    assertThat(values).hasSize(6);
    for (int id = 0; id < registry.size(); id++) {
      assertThat(registry.key(id).name()).as("buckets are not series").doesNotEndWith("_bucket");
    }

    // Next interval: 40 fast observations and a reset of nothing: p50 in the first bucket.
    values = send(histogram(T + 20 * SECOND, 50, 10, 110, 82));
    assertThat(values.get("latency_seconds_p50" + JOB)).isCloseTo(0.05, within(1e-9));
    assertThat(values.get("latency_seconds_mean" + JOB)).isCloseTo(0.05, within(1e-9));
  }

  @Test
  void after_a_restart_the_buckets_count_from_zero() {
    send(histogram(T, 100, 100, 100, 200));
    send(histogram(T + 10 * SECOND, 100, 100, 110, 210));
    // Restarted: 4 slow observations since.
    Map<String, Double> values = send(histogram(T + 20 * SECOND, 0, 0, 4, 3));
    assertThat(values.get("latency_seconds_p50" + JOB)).isCloseTo(0.75, within(1e-9));
    assertThat(values.get("latency_seconds_count" + JOB)).isCloseTo(0.4, within(1e-9));
    assertThat(values.get("latency_seconds_mean" + JOB)).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void buckets_of_one_scrape_split_over_two_requests_give_the_quantiles_once_all_arrived() {
    send(histogram(T, 0, 0, 0, 0));
    long time = T + 10 * SECOND;
    RemoteWriteBody low =
        new RemoteWriteBody()
            .series(
                labels("__name__", "latency_seconds_bucket", "job", "api", "le", "0.1"), time, 0)
            .series(
                labels("__name__", "latency_seconds_bucket", "job", "api", "le", "0.5"), time, 8);
    RemoteWriteBody high =
        new RemoteWriteBody()
            .series(labels("__name__", "latency_seconds_bucket", "job", "api", "le", "1"), time, 10)
            .series(
                labels("__name__", "latency_seconds_bucket", "job", "api", "le", "+Inf"), time, 10);
    assertThat(send(low)).as("half the buckets: nothing yet").isEmpty();
    Map<String, Double> values = send(high);
    // 8 of 10 in (0.1, 0.5]: the median at rank 5 is 5/8 of the way through that bucket.
    assertThat(values.get("latency_seconds_p50" + JOB)).isCloseTo(0.1 + 0.4 * 5 / 8, within(1e-9));
    assertThat(values.get("latency_seconds_p90" + JOB)).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void a_request_with_several_scrapes_of_each_bucket_gives_the_quantiles_of_each_interval() {
    // Remote write behind: every series carries three scrapes, one bucket series after another.
    long t1 = T + 10 * SECOND;
    long t2 = T + 20 * SECOND;
    RemoteWriteBody body = new RemoteWriteBody();
    String[] bounds = {"0.1", "0.5", "1", "+Inf"};
    double[][] cumulative = {{0, 0, 0}, {0, 10, 10}, {0, 10, 20}, {0, 10, 20}};
    for (int b = 0; b < bounds.length; b++) {
      body.series(
          labels("__name__", "latency_seconds_bucket", "job", "api", "le", bounds[b]),
          T,
          cumulative[b][0],
          t1,
          cumulative[b][1],
          t2,
          cumulative[b][2]);
    }
    byte[] bytes = body.protobuf();
    PointBatch points = decoder.decode(bytes, bytes.length).points();
    Map<String, Double> firstInterval = new LinkedHashMap<>();
    Map<String, Double> secondInterval = new LinkedHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      Map<String, Double> interval = points.timestamp(i) == t1 ? firstInterval : secondInterval;
      assertThat(points.timestamp(i)).isIn(t1, t2);
      interval.put(registry.key(points.seriesId(i)).name(), points.value(i));
    }
    // First interval: 10 observations in (0.1, 0.5]; second: 10 in (0.5, 1].
    assertThat(firstInterval.get("latency_seconds_p50")).isCloseTo(0.3, within(1e-9));
    assertThat(secondInterval.get("latency_seconds_p50")).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void without_rates_every_sample_passes_raw() {
    RemoteWriteDecoder raw = new RemoteWriteDecoder(registry, Clock.fixed(NOW, ZoneOffset.UTC));
    byte[] bytes = histogram(T, 1, 2, 3, 4).protobuf();
    PointBatch points = raw.decode(bytes, bytes.length).points();
    assertThat(points.size()).isEqualTo(6);
    assertThat(registry.key(points.seriesId(5)).text())
        .isEqualTo("latency_seconds_bucket{job=\"api\",le=\"+Inf\"}");
    assertThat(points.value(5)).isEqualTo(6.0);
  }
}
