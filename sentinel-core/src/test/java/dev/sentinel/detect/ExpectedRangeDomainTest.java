package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.ingest.SeriesKey;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expected ranges stay within what the metric can take, and are described truthfully. */
class ExpectedRangeDomainTest {

  private static Probe probe(String metric) {
    return new Probe(DetectionConfig.builtIn(), metric, 7);
  }

  /** An error rate near zero, with a burst: its band around the level reaches below zero. */
  private static Anomaly burstOnALowRate(Probe probe) {
    for (int i = 0; i < 1_000; i++) {
      probe.feed(START + i * MINUTE, Math.abs(0.01 + 0.005 * probe.gaussian()));
    }
    probe.anomalies.clear();
    assertThat(probe.feed(START + 1_000 * MINUTE, 0.5)).isTrue();
    return probe.lastAnomaly();
  }

  @Test
  void a_series_that_was_never_negative_gets_no_negative_lower_bound() {
    Anomaly anomaly = burstOnALowRate(probe("error_rate"));

    assertThat(anomaly.expectedLow()).isZero();
    assertThat(anomaly.expectedHigh()).isPositive().isLessThan(0.5);
  }

  @Test
  void a_series_that_has_been_negative_keeps_its_negative_lower_bound() {
    Probe probe = probe("temperature_celsius");
    for (int i = 0; i < 1_000; i++) {
      probe.feed(START + i * MINUTE, 0.01 + 0.005 * probe.gaussian() - (i == 3 ? 0.02 : 0));
    }
    probe.anomalies.clear();
    assertThat(probe.feed(START + 1_000 * MINUTE, 0.5)).isTrue();

    assertThat(probe.lastAnomaly().expectedLow()).isNegative();
  }

  @Test
  void a_metric_named_with_a_non_negative_unit_is_clipped_even_after_a_negative_value() {
    Probe probe = probe("queue_wait_seconds");
    for (int i = 0; i < 1_000; i++) {
      probe.feed(START + i * MINUTE, 0.01 + 0.005 * probe.gaussian() - (i == 3 ? 0.02 : 0));
    }
    probe.anomalies.clear();
    assertThat(probe.feed(START + 1_000 * MINUTE, 0.5)).isTrue();

    assertThat(probe.lastAnomaly().expectedLow()).isZero();
  }

  @Test
  void names_with_prometheus_unit_suffixes_are_non_negative_and_others_are_not_by_name() {
    assertThat(Domain.nonNegativeByName("memory_used_bytes")).isTrue();
    assertThat(Domain.nonNegativeByName("http_requests_total")).isTrue();
    assertThat(Domain.nonNegativeByName("cache_hit_ratio")).isTrue();
    assertThat(Domain.nonNegativeByName("request_duration_seconds")).isTrue();
    assertThat(Domain.nonNegativeByName("temperature_celsius")).isFalse();
    assertThat(Domain.nonNegativeByName("balance_growth_rate")).isFalse();
  }

  @Test
  void a_value_inside_its_range_is_never_described_as_outside_it() {
    SeriesKey series = SeriesKey.of("latency_ms");
    Anomaly inside = new Anomaly(series, START, 1063, 0, 1547, 1.2, 0.6, Direction.UP, Set.of());
    Anomaly outside = new Anomaly(series, START, 1063, 12, 950, 3.0, 0.8, Direction.UP, Set.of());

    assertThat(inside.outsideExpectedRange()).isFalse();
    assertThat(inside.describe())
        .isEqualTo(
            "latency_ms = 1063, inside the expected 0.000..1547, but its recent values moved up");
    assertThat(outside.describe()).isEqualTo("latency_ms = 1063 outside the expected 12.00..950.0");
  }
}
