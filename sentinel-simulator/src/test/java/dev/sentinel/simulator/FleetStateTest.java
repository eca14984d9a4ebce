package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.MINUTE;
import static dev.sentinel.simulator.Timeline.SECOND;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;
import static dev.sentinel.simulator.Timeline.assertSameSamples;
import static dev.sentinel.simulator.Timeline.everySecond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FleetStateTest {

  private static final long T = WEDNESDAY_AFTERNOON;

  @Test
  void a_fresh_fleet_has_its_start_versions_and_no_history() {
    FleetState.Service api = Fleet.demo(1).snapshotState().services().get(0);

    assertThat(api.name()).isEqualTo("api");
    assertThat(api.replicas()).isEqualTo(3);
    assertThat(api.version()).isEqualTo("v2.14.0");
    assertThat(api.previousVersions()).isEmpty();
    assertThat(api.defectiveVersions()).isEmpty();
    assertThat(api.faults()).isEmpty();
    assertThat(api.restartedAtMillis()).isEqualTo(FleetState.NEVER);
    assertThat(api.scaledAtMillis()).isEqualTo(FleetState.NEVER);
  }

  @Test
  void the_snapshot_holds_version_history_defects_faults_and_operation_times() {
    Fleet fleet = Fleet.demo(1);
    fleet.deploy("api", "v2.15.0", T);
    fleet.inject(FaultKind.BAD_DEPLOY, "api", T + SECOND);
    fleet.markDefective("api", "v3.0.0");
    fleet.scale("api", 5, T + 2 * SECOND);
    fleet.restart("checkout", T + 3 * SECOND);
    fleet.inject(FaultKind.SATURATION, "checkout", T + 4 * SECOND);

    List<FleetState.Service> services = fleet.snapshotState().services();

    FleetState.Service api = services.get(0);
    assertThat(api.version()).isEqualTo("v2.15.1");
    assertThat(api.previousVersions()).containsExactly("v2.15.0", "v2.14.0");
    assertThat(api.defectiveVersions()).containsExactly("v2.15.1", "v3.0.0");
    assertThat(api.faults())
        .containsExactly(new Fault(FaultKind.BAD_DEPLOY, "api", T + SECOND, Fault.UNTIL_CLEARED));
    assertThat(api.processStartMillis()).isEqualTo(T + SECOND);
    assertThat(api.scaledAtMillis()).isEqualTo(T + 2 * SECOND);
    FleetState.Service checkout = services.get(1);
    assertThat(checkout.restartedAtMillis()).isEqualTo(T + 3 * SECOND);
    assertThat(checkout.faults()).extracting(Fault::kind).containsExactly(FaultKind.SATURATION);
  }

  @Test
  void a_fleet_restored_from_a_snapshot_emits_what_the_original_emits() {
    Fleet original = Fleet.demo(4);
    everySecond(original, T - 5 * MINUTE, 300, new RecordingSink());
    original.inject(FaultKind.MEMORY_LEAK, "db", T - MINUTE);
    original.inject(FaultKind.LATENCY_SPIKE, "cache", T - 30 * SECOND);
    original.scale("api", 6, T - 20 * SECOND);
    original.inject(FaultKind.BAD_DEPLOY, "checkout", T - 10 * SECOND);

    Fleet rebuilt = Fleet.demo(999);
    rebuilt.restoreState(original.snapshotState());

    assertThat(rebuilt.snapshotState()).isEqualTo(original.snapshotState());
    assertSameSamples(original, rebuilt, T, 120);
  }

  @Test
  void a_state_saved_from_other_services_is_refused_and_changes_nothing() {
    Fleet small = new Fleet(1, DemoFleet.services().subList(2, 4), Duration.ofMinutes(1));
    FleetState before = small.snapshotState();

    assertThatThrownBy(() -> small.restoreState(Fleet.demo(1).snapshotState()))
        .isInstanceOf(SimulatorException.class)
        .hasMessage(
            "the saved state is for services [api, checkout, db, cache] but the fleet has [db, cache]");
    assertThat(small.snapshotState()).isEqualTo(before);
  }

  @Test
  void a_service_state_refuses_a_fault_of_another_service() {
    assertThatThrownBy(
            () ->
                new FleetState.Service(
                    "api",
                    3,
                    "v1",
                    List.of(),
                    new TreeSet<>(),
                    List.of(new Fault(FaultKind.ERROR_BURST, "db", T, Fault.UNTIL_CLEARED)),
                    0,
                    FleetState.NEVER,
                    FleetState.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a fault of db cannot act on api");
  }
}
