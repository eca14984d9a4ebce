package dev.sentinel.simulator;

import static dev.sentinel.simulator.FaultComparison.START;
import static dev.sentinel.simulator.Timeline.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperationsTest {

  @Test
  void restart_clears_a_memory_leak() {
    FaultComparison run = FaultComparison.inject(FaultKind.MEMORY_LEAK, "checkout").run(120);
    assertThat(run.recentMean("checkout", Metric.MEMORY_USED_BYTES, 5))
        .isGreaterThan(run.band("checkout", Metric.MEMORY_USED_BYTES));

    run.faulty.restart("checkout", run.now());
    run.run(30);

    assertThat(run.faulty.activeFaults()).isEmpty();
    assertThat(run.recentMean("checkout", Metric.MEMORY_USED_BYTES, 20))
        .isLessThan(run.band("checkout", Metric.MEMORY_USED_BYTES));
  }

  @Test
  void restart_fails_some_requests_for_a_few_seconds_then_recovers() {
    FaultComparison run = new FaultComparison(fleet -> fleet.restart("api", START)).run(20);

    assertThat(run.after("api", Metric.ERROR_RATE).subList(0, 3))
        .allSatisfy(rate -> assertThat(rate).isBetween(0.1, 0.35));
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isLessThan(0.01);
  }

  @Test
  void restart_does_not_relieve_saturation_but_scaling_out_does() {
    FaultComparison run = FaultComparison.inject(FaultKind.SATURATION, "api").run(20);

    run.faulty.restart("api", run.now());
    run.run(20);
    assertThat(run.recentMean("api", Metric.CPU_UTILIZATION, 10)).isGreaterThan(0.95);
    assertThat(run.recentMean("api", Metric.QUEUE_DEPTH, 10)).isGreaterThan(1000);

    Change change = run.faulty.scale("api", 6, run.now());
    run.run(20);
    assertThat(change.before().replicas()).isEqualTo(3);
    assertThat(change.after().replicas()).isEqualTo(6);
    assertThat(run.recentMean("api", Metric.CPU_UTILIZATION, 10)).isLessThan(0.8);
    assertThat(run.recentMean("api", Metric.QUEUE_DEPTH, 10)).isLessThan(20);
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isLessThan(0.01);
    assertThat(run.recentMean("api", Metric.LATENCY_P50_MS, 10))
        .isLessThan(1.5 * run.warmUpMean("api", Metric.LATENCY_P50_MS));
  }

  @Test
  void a_saturation_stays_unhandled_until_scaling_out_has_doubled_the_replicas() {
    FaultComparison run = FaultComparison.inject(FaultKind.SATURATION, "api").run(5);
    assertThat(run.faulty.unhandledFaults())
        .extracting(Fault::kind)
        .containsExactly(FaultKind.SATURATION);

    run.faulty.scale("api", 5, run.now());
    assertThat(run.faulty.unhandledFaults()).hasSize(1);

    run.faulty.scale("api", 6, run.now());
    assertThat(run.faulty.unhandledFaults()).isEmpty();
    assertThat(run.faulty.activeFaults())
        .extracting(Fault::kind)
        .containsExactly(FaultKind.SATURATION);
  }

  @Test
  void restart_does_not_fix_a_bad_deploy_but_rollback_does() {
    FaultComparison run = FaultComparison.inject(FaultKind.BAD_DEPLOY, "api").run(20);

    run.faulty.restart("api", run.now());
    run.run(30);
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isGreaterThan(0.05);

    Change change = run.faulty.rollback("api", run.now());
    run.run(30);
    assertThat(change.before().version()).isEqualTo("v2.14.1");
    assertThat(change.after().version()).isEqualTo("v2.14.0");
    assertThat(change.after().canRollBack()).isFalse();
    assertThat(run.faulty.activeFaults()).isEmpty();
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isLessThan(0.01);
  }

  @Test
  void deploying_a_version_marked_defective_starts_a_bad_deploy() {
    Fleet fleet = Fleet.demo(1);
    fleet.markDefective("checkout", "v1.9.0");

    fleet.deploy("checkout", "v1.9.0", START);

    assertThat(fleet.activeFaults())
        .containsExactly(new Fault(FaultKind.BAD_DEPLOY, "checkout", START, Fault.UNTIL_CLEARED));
    fleet.deploy("checkout", "v1.9.1", START + SECOND);
    assertThat(fleet.activeFaults()).isEmpty();
    assertThat(fleet.state("checkout").previousVersion()).isEqualTo("v1.9.0");
  }

  @Test
  void a_deploy_brings_fresh_processes_that_end_a_leak_but_not_saturation() {
    Fleet fleet = Fleet.demo(1);
    fleet.inject(FaultKind.MEMORY_LEAK, "api", START);
    fleet.inject(FaultKind.SATURATION, "api", START);

    fleet.deploy("api", "v2.15.0", START + SECOND);

    assertThat(fleet.activeFaults()).extracting(Fault::kind).containsExactly(FaultKind.SATURATION);
  }

  @Test
  void rollback_without_an_earlier_version_is_refused() {
    Fleet fleet = Fleet.demo(1);

    assertThatThrownBy(() -> fleet.rollback("db", START))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("db")
        .hasMessageContaining("v15.4");
  }

  @Test
  void deploying_the_running_version_is_refused() {
    assertThatThrownBy(() -> Fleet.demo(1).deploy("api", "v2.14.0", START))
        .isInstanceOf(SimulatorException.class)
        .hasMessage("api already runs version v2.14.0");
  }

  @Test
  void replicas_outside_one_to_fifty_are_refused() {
    Fleet fleet = Fleet.demo(1);

    assertThatThrownBy(() -> fleet.scale("api", 0, START))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("between 1 and 50");
    assertThatThrownBy(() -> fleet.scale("api", 51, START)).isInstanceOf(SimulatorException.class);
    assertThat(fleet.state("api").replicas()).isEqualTo(3);
  }

  @Test
  void an_unknown_service_is_refused_naming_the_known_ones() {
    Fleet fleet = Fleet.demo(1);

    assertThatThrownBy(() -> fleet.restart("payments", START))
        .isInstanceOf(UnknownServiceException.class)
        .hasMessage("unknown service 'payments'; the fleet has api, checkout, db, cache");
    assertThatThrownBy(() -> fleet.inject(FaultKind.ERROR_BURST, "payments", START))
        .isInstanceOf(UnknownServiceException.class);
    assertThatThrownBy(() -> fleet.state("payments")).isInstanceOf(UnknownServiceException.class);
  }

  @Test
  void restarting_db_makes_things_worse_for_checkout_and_api() {
    FaultComparison run = new FaultComparison(fleet -> fleet.restart("db", START)).run(30);

    assertThat(run.after("checkout", Metric.ERROR_RATE).subList(4, 12))
        .allSatisfy(rate -> assertThat(rate).isGreaterThan(0.5));
    assertThat(run.after("api", Metric.ERROR_RATE).subList(8, 16))
        .allSatisfy(rate -> assertThat(rate).isGreaterThan(0.25));
    assertThat(run.recentMean("checkout", Metric.ERROR_RATE, 10)).isLessThan(0.01);
  }

  @Test
  void scaling_below_the_load_makes_things_worse_until_restored() {
    FaultComparison run = new FaultComparison(fleet -> {}).run(0);
    Change shrink = run.faulty.scale("api", 1, run.now());
    run.run(20);
    assertThat(run.recentMean("api", Metric.CPU_UTILIZATION, 10)).isGreaterThan(0.95);
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isGreaterThan(0.03);

    Change undo = run.faulty.restore(shrink.before(), run.now());
    run.run(20);

    assertThat(undo.operation()).isEqualTo(Operation.RESTORE);
    assertThat(undo.after()).isEqualTo(shrink.before());
    assertThat(run.recentMean("api", Metric.CPU_UTILIZATION, 10)).isLessThan(0.6);
    assertThat(run.recentMean("api", Metric.ERROR_RATE, 10)).isLessThan(0.01);
  }

  @Test
  void restoring_before_a_rollback_redeploys_the_version_it_replaced() {
    Fleet fleet = Fleet.demo(1);
    fleet.deploy("cache", "v7.3.0", START);
    Change rollback = fleet.rollback("cache", START + SECOND);

    Change undo = fleet.restore(rollback.before(), START + 2 * SECOND);

    assertThat(undo.after().version()).isEqualTo("v7.3.0");
    assertThat(undo.after().previousVersion()).isEqualTo("v7.2.4");
  }

  @Test
  void describe_lists_replicas_versions_calls_and_faults() {
    Fleet fleet = Fleet.demo(1);
    fleet.inject(FaultKind.MEMORY_LEAK, "checkout", START);
    fleet.scale("api", 5, START);

    FleetSnapshot snapshot = fleet.describe();

    assertThat(snapshot.services())
        .extracting(service -> service.state().service())
        .containsExactly("api", "checkout", "db", "cache");
    FleetSnapshot.ServiceSnapshot api = snapshot.services().get(0);
    assertThat(api.state()).isEqualTo(new ServiceState("api", 5, "v2.14.0", null));
    assertThat(api.calls()).containsExactly("checkout", "cache");
    assertThat(snapshot.services().get(1).faults())
        .extracting(Fault::kind)
        .containsExactly(FaultKind.MEMORY_LEAK);
  }
}
