package dev.sentinel.simulator;

import static dev.sentinel.simulator.FaultComparison.START;
import static dev.sentinel.simulator.Timeline.MINUTE;
import static dev.sentinel.simulator.Timeline.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  @Test
  void a_memory_leak_leaves_the_normal_band_within_twenty_samples() {
    FaultComparison run = FaultComparison.inject(FaultKind.MEMORY_LEAK, "api").run(30);

    assertThat(run.samplesToLeaveBand("api", Metric.MEMORY_USED_BYTES)).isBetween(1, 20);
    assertThat(run.healthyStaysInBand("api", Metric.MEMORY_USED_BYTES)).isTrue();
    assertThat(run.samplesToLeaveBand("checkout", Metric.MEMORY_USED_BYTES)).isEqualTo(-1);
    assertThat(run.samplesToLeaveBand("api", Metric.ERROR_RATE)).isEqualTo(-1);
  }

  @Test
  void a_memory_leak_later_slows_the_tail_through_garbage_collection() {
    FaultComparison run = FaultComparison.inject(FaultKind.MEMORY_LEAK, "api").run(30);
    double earlyP99 = run.recentMean("api", Metric.LATENCY_P99_MS, 30);

    run.runMinutes(6);

    double warmUpP99 = run.warmUpMean("api", Metric.LATENCY_P99_MS);
    assertThat(earlyP99).isLessThan(1.3 * warmUpP99);
    assertThat(run.recentMean("api", Metric.LATENCY_P99_MS, 30)).isGreaterThan(2.5 * warmUpP99);
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 30)).isGreaterThan(0.03);
  }

  @Test
  void a_latency_spike_multiplies_latency_from_the_first_sample() {
    FaultComparison run = FaultComparison.inject(FaultKind.LATENCY_SPIKE, "api").run(30);

    assertThat(run.samplesToLeaveBand("api", Metric.LATENCY_P50_MS)).isEqualTo(1);
    assertThat(run.samplesToLeaveBand("api", Metric.LATENCY_P99_MS)).isEqualTo(1);
    double p50Ratio =
        run.recentMean("api", Metric.LATENCY_P50_MS, 30)
            / run.warmUpMean("api", Metric.LATENCY_P50_MS);
    double p99Ratio =
        run.recentMean("api", Metric.LATENCY_P99_MS, 30)
            / run.warmUpMean("api", Metric.LATENCY_P99_MS);
    assertThat(p50Ratio).isBetween(3.0, 10.0);
    assertThat(p99Ratio).isBetween(3.0, 10.0);
    assertThat(run.samplesToLeaveBand("api", Metric.ERROR_RATE)).isEqualTo(-1);
  }

  @Test
  void a_latency_spike_fades_by_itself_after_the_configured_duration() {
    Fleet fleet = new Fleet(7, DemoFleet.services(), Duration.ofMinutes(2));
    Fault spike = fleet.inject(FaultKind.LATENCY_SPIKE, "checkout", START);
    RecordingSink during = new RecordingSink();
    RecordingSink after = new RecordingSink();

    Timeline.everySecond(fleet, START, 60, during);
    Timeline.everySecond(fleet, START + 2 * MINUTE, 60, after);

    assertThat(spike.untilMillis()).isEqualTo(START + 2 * MINUTE);
    assertThat(after.mean("checkout", Metric.LATENCY_P50_MS))
        .isLessThan(during.mean("checkout", Metric.LATENCY_P50_MS) / 3);
    assertThat(fleet.activeFaults()).isEmpty();
  }

  @Test
  void an_error_burst_fails_between_five_and_thirty_percent_from_the_first_sample() {
    FaultComparison run = FaultComparison.inject(FaultKind.ERROR_BURST, "checkout").run(30);

    assertThat(run.samplesToLeaveBand("checkout", Metric.ERROR_RATE)).isEqualTo(1);
    assertThat(run.after("checkout", Metric.ERROR_RATE))
        .allSatisfy(rate -> assertThat(rate).isBetween(0.05, 0.30));
    assertThat(run.samplesToLeaveBand("checkout", Metric.LATENCY_P50_MS)).isEqualTo(-1);
  }

  @Test
  void saturation_pins_cpu_grows_the_queue_and_slows_responses() {
    FaultComparison run = FaultComparison.inject(FaultKind.SATURATION, "api").run(30);

    assertThat(run.samplesToLeaveBand("api", Metric.CPU_UTILIZATION)).isEqualTo(1);
    assertThat(run.recentMean("api", Metric.CPU_UTILIZATION, 25)).isGreaterThan(0.95);
    assertThat(run.samplesToLeaveBand("api", Metric.QUEUE_DEPTH)).isBetween(1, 2);
    assertThat(run.recentMean("api", Metric.QUEUE_DEPTH, 25))
        .isGreaterThan(100 * run.warmUpMean("api", Metric.QUEUE_DEPTH));
    assertThat(run.recentMean("api", Metric.LATENCY_P50_MS, 25))
        .isGreaterThan(5 * run.warmUpMean("api", Metric.LATENCY_P50_MS));
  }

  @Test
  void a_bad_deploy_rolls_out_a_new_version_that_fails_requests_and_slows_down() {
    FaultComparison run = FaultComparison.inject(FaultKind.BAD_DEPLOY, "checkout").run(30);

    assertThat(run.faulty.state("checkout").version()).isEqualTo("v1.8.4");
    assertThat(run.faulty.state("checkout").previousVersion()).isEqualTo("v1.8.3");
    assertThat(run.samplesToLeaveBand("checkout", Metric.ERROR_RATE)).isEqualTo(1);
    assertThat(run.recentMean("checkout", Metric.ERROR_RATE, 30)).isBetween(0.05, 0.15);
    assertThat(run.samplesToLeaveBand("checkout", Metric.LATENCY_P99_MS)).isBetween(1, 3);
    assertThat(run.recentMean("checkout", Metric.LATENCY_P99_MS, 30))
        .isGreaterThan(2 * run.warmUpMean("checkout", Metric.LATENCY_P99_MS));
  }

  @Test
  void injecting_a_fault_that_is_already_active_keeps_the_first() {
    Fleet fleet = Fleet.demo(1);
    Fault first = fleet.inject(FaultKind.SATURATION, "db", START);
    Fault second = fleet.inject(FaultKind.SATURATION, "db", START + MINUTE);
    Fault firstDeploy = fleet.inject(FaultKind.BAD_DEPLOY, "db", START);
    Fault secondDeploy = fleet.inject(FaultKind.BAD_DEPLOY, "db", START + MINUTE);

    assertThat(second).isEqualTo(first);
    assertThat(secondDeploy).isEqualTo(firstDeploy);
    assertThat(fleet.state("db").version()).isEqualTo("v15.5");
    assertThat(fleet.activeFaults())
        .extracting(Fault::kind)
        .containsExactly(FaultKind.SATURATION, FaultKind.BAD_DEPLOY);
  }

  @Test
  void a_spike_injected_after_the_last_one_ended_starts_afresh() {
    Fleet fleet = new Fleet(7, DemoFleet.services(), Duration.ofMinutes(2));
    fleet.inject(FaultKind.LATENCY_SPIKE, "db", START);

    Fault again = fleet.inject(FaultKind.LATENCY_SPIKE, "db", START + 5 * MINUTE);

    assertThat(again.startMillis()).isEqualTo(START + 5 * MINUTE);
    assertThat(fleet.activeFaults()).containsExactly(again);
  }

  @Test
  void clearing_faults_returns_the_fleet_to_health_but_keeps_its_shape() {
    FaultComparison run =
        new FaultComparison(
            fleet -> {
              fleet.inject(FaultKind.ERROR_BURST, "api", START);
              fleet.inject(FaultKind.BAD_DEPLOY, "db", START);
              fleet.scale("cache", 4, START);
            });
    run.run(10);
    run.faulty.clearFaults();
    run.run(20);

    assertThat(run.faulty.activeFaults()).isEmpty();
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isLessThan(0.01);
    assertThat(run.recentMean("db", Metric.ERROR_RATE, 10)).isLessThan(0.01);
    assertThat(run.faulty.state("db").version()).isEqualTo("v15.5");
    assertThat(run.faulty.state("cache").replicas()).isEqualTo(4);
    assertThat(run.now()).isEqualTo(START + 30 * SECOND);
  }
}
