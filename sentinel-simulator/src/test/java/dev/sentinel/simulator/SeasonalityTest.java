package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.SATURDAY_AFTERNOON;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_NIGHT;
import static dev.sentinel.simulator.Timeline.everySecond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeasonalityTest {

  @Test
  void weekday_afternoon_traffic_is_several_times_night_traffic() {
    RecordingSink day = sample(WEDNESDAY_AFTERNOON);
    RecordingSink night = sample(WEDNESDAY_NIGHT);

    for (String service : Fleet.demo(0).services()) {
      assertThat(day.mean(service, Metric.REQUEST_RATE))
          .as(service)
          .isGreaterThan(3 * night.mean(service, Metric.REQUEST_RATE));
    }
  }

  @Test
  void weekend_traffic_is_lower_than_weekday_traffic_at_the_same_hour() {
    RecordingSink weekday = sample(WEDNESDAY_AFTERNOON);
    RecordingSink weekend = sample(SATURDAY_AFTERNOON);

    assertThat(weekend.mean("api", Metric.REQUEST_RATE) / weekday.mean("api", Metric.REQUEST_RATE))
        .isCloseTo(0.65, within(0.05));
  }

  @Test
  void load_drives_cpu_and_latency() {
    RecordingSink day = sample(WEDNESDAY_AFTERNOON);
    RecordingSink night = sample(WEDNESDAY_NIGHT);

    assertThat(day.mean("api", Metric.CPU_UTILIZATION))
        .isGreaterThan(night.mean("api", Metric.CPU_UTILIZATION) + 0.25);
    assertThat(day.mean("api", Metric.LATENCY_P50_MS))
        .isGreaterThan(night.mean("api", Metric.LATENCY_P50_MS));
    assertThat(day.mean("api", Metric.LATENCY_P99_MS))
        .isGreaterThan(night.mean("api", Metric.LATENCY_P99_MS));
  }

  @Test
  void the_load_curve_peaks_at_its_peak_hour_and_bottoms_out_twelve_hours_later() {
    LoadCurve curve = LoadCurve.DEFAULT;
    long peak = Instant.parse("2024-05-15T15:00:00Z").toEpochMilli();
    long trough = Instant.parse("2024-05-15T03:00:00Z").toEpochMilli();

    assertThat(curve.factor(peak)).isCloseTo(1.0, within(1e-9));
    assertThat(curve.factor(trough)).isCloseTo(0.25, within(1e-9));
    assertThat(LoadCurve.isWeekend(Instant.parse("2024-05-19T12:00:00Z").toEpochMilli())).isTrue();
    assertThat(LoadCurve.isWeekend(Instant.parse("2024-05-20T12:00:00Z").toEpochMilli())).isFalse();
  }

  private static RecordingSink sample(long from) {
    RecordingSink sink = new RecordingSink();
    everySecond(Fleet.demo(11), from, 120, sink);
    return sink;
  }
}
