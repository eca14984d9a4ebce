package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.MINUTE;
import static dev.sentinel.simulator.Timeline.SECOND;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;
import static dev.sentinel.simulator.Timeline.everySecond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentinel.ingest.SeriesKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetDeterminismTest {

  @Test
  void same_seed_gives_the_same_series() {
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    everySecond(Fleet.demo(42), WEDNESDAY_AFTERNOON, 300, first);
    everySecond(Fleet.demo(42), WEDNESDAY_AFTERNOON, 300, second);

    for (String service : Fleet.demo(42).services()) {
      for (Metric metric : Metric.values()) {
        assertThat(second.values(service, metric))
            .as("%s %s", service, metric)
            .hasSize(300)
            .isEqualTo(first.values(service, metric));
      }
    }
  }

  @Test
  void different_seeds_give_different_noise_around_the_same_level() {
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    everySecond(Fleet.demo(1), WEDNESDAY_AFTERNOON, 300, first);
    everySecond(Fleet.demo(2), WEDNESDAY_AFTERNOON, 300, second);

    assertThat(second.values("api", Metric.REQUEST_RATE))
        .isNotEqualTo(first.values("api", Metric.REQUEST_RATE));
    assertThat(second.mean("api", Metric.REQUEST_RATE))
        .isCloseTo(first.mean("api", Metric.REQUEST_RATE), within(20.0));
  }

  @Test
  void every_emit_reports_each_metric_of_each_service_under_the_same_key_instances() {
    Fleet fleet = Fleet.demo(3);
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    fleet.emit(WEDNESDAY_AFTERNOON, first);
    fleet.emit(WEDNESDAY_AFTERNOON + SECOND, second);

    assertThat(fleet.services()).containsExactly("api", "checkout", "db", "cache");
    assertThat(first.keysSeen()).hasSize(4 * Metric.values().length);
    for (int i = 0; i < first.keysSeen().size(); i++) {
      assertThat(second.keysSeen().get(i)).isSameAs(first.keysSeen().get(i));
    }
    assertThat(fleet.series()).containsExactlyElementsOf(first.keysSeen());
    SeriesKey p99 = fleet.series().get(Metric.LATENCY_P99_MS.ordinal());
    assertThat(p99.text()).isEqualTo("latency_p99_ms{env=\"demo\",host=\"api-1\",service=\"api\"}");
  }

  @Test
  void series_names_are_the_documented_metric_names() {
    Set<String> names = new HashSet<>();
    Fleet.demo(3).series().forEach(key -> names.add(key.name()));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "request_rate",
            "latency_p50_ms",
            "latency_p99_ms",
            "error_rate",
            "cpu_utilization",
            "memory_used_bytes",
            "queue_depth");
  }

  @Test
  void a_leak_grows_with_elapsed_time_not_with_the_number_of_samples() {
    Fleet ticking = Fleet.demo(5);
    Fleet jumping = Fleet.demo(5);
    ticking.inject(FaultKind.MEMORY_LEAK, "db", WEDNESDAY_AFTERNOON);
    jumping.inject(FaultKind.MEMORY_LEAK, "db", WEDNESDAY_AFTERNOON);
    RecordingSink everySecond = new RecordingSink();
    RecordingSink once = new RecordingSink();

    everySecond(ticking, WEDNESDAY_AFTERNOON, 121, everySecond);
    jumping.emit(WEDNESDAY_AFTERNOON + 2 * MINUTE, once);

    double leakedInTwoMinutes = 120 * FaultEffects.LEAK_BYTES_PER_SECOND;
    assertThat(once.last("db", Metric.MEMORY_USED_BYTES))
        .isCloseTo(everySecond.last("db", Metric.MEMORY_USED_BYTES), within(10e6))
        .isGreaterThan(4096.0 * 1024 * 1024 + leakedInTwoMinutes);
  }

  @Test
  void a_back_fill_at_minute_steps_followed_by_live_ticks_stays_in_range() {
    Fleet fleet = Fleet.demo(9);
    RecordingSink sink = new RecordingSink();
    long start = WEDNESDAY_AFTERNOON - 2 * 24 * 60 * MINUTE;
    for (long t = start; t < WEDNESDAY_AFTERNOON; t += MINUTE) {
      fleet.emit(t, sink);
    }
    everySecond(fleet, WEDNESDAY_AFTERNOON, 60, sink);

    List<Double> errors = sink.values("checkout", Metric.ERROR_RATE);
    assertThat(errors)
        .hasSize(2 * 24 * 60 + 60)
        .allSatisfy(e -> assertThat(e).isBetween(0.0, 0.02));
    assertThat(sink.values("api", Metric.CPU_UTILIZATION))
        .allSatisfy(cpu -> assertThat(cpu).isBetween(0.0, 0.7));
  }
}
