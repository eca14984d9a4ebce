package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.MINUTE;
import static dev.sentinel.simulator.Timeline.SECOND;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;
import static dev.sentinel.simulator.Timeline.assertSameSamples;
import static dev.sentinel.simulator.Timeline.everySecond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import dev.sentinel.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives when Sentinel is killed and started again: each "restart" here builds a new fleet
 * from the same seed and opens a new executor on the same state file, as the app does on start.
 */
class SimulatorExecutorRestartTest {

  private static final long T = WEDNESDAY_AFTERNOON;
  private static final long SEED = 11;
  private static final Target DB = new Target("simulator", "", "db");
  private static final Action RESTART_DB = new Action(DB, "restart", Map.of());

  @TempDir Path directory;

  private final ManualClock clock = new ManualClock(T);

  private SimulatorExecutor open(Fleet fleet) {
    return SimulatorExecutor.open(
        fleet, new FleetStateFile(directory.resolve("simulator.state")), clock);
  }

  @Test
  void after_a_restart_the_fleet_is_as_it_was_and_a_repeated_key_does_not_act_again() {
    Fleet before = Fleet.demo(SEED);
    SimulatorExecutor executor = open(before);
    before.inject(FaultKind.MEMORY_LEAK, "checkout", T - MINUTE);
    before.markDefective("api", "v2.16.0");
    executor.save();
    executor.apply(new Action(DB, "scale", Map.of("replicas", "2")), "inc-1/scale/1");
    ActionResult restarted = executor.apply(RESTART_DB, "inc-1/restart/1");

    clock.advance(Duration.ofMinutes(3));
    Fleet after = Fleet.demo(SEED);
    SimulatorExecutor reopened = open(after);

    assertThat(after.snapshotState()).isEqualTo(before.snapshotState());
    assertThat(after.activeFaults())
        .containsExactly(
            new Fault(FaultKind.MEMORY_LEAK, "checkout", T - MINUTE, Fault.UNTIL_CLEARED));
    assertThat(reopened.apply(RESTART_DB, "inc-1/restart/1")).isEqualTo(restarted);
    assertThat(after.snapshotState().services().get(2).restartedAtMillis())
        .as("db was not restarted a second time")
        .isEqualTo(T);
  }

  @Test
  void a_fleet_rebuilt_from_the_file_emits_the_same_values_as_the_original() {
    Fleet original = Fleet.demo(SEED);
    SimulatorExecutor executor = open(original);
    everySecond(original, T - 10 * MINUTE, 600, new RecordingSink());
    original.inject(FaultKind.SATURATION, "api", T - 2 * MINUTE);
    original.inject(FaultKind.LATENCY_SPIKE, "cache", T - MINUTE);
    executor.apply(new Action(DB, "deploy", Map.of("version", "v15.5")), "deploy");
    executor.save();

    Fleet rebuilt = Fleet.demo(SEED);
    open(rebuilt);

    assertSameSamples(original, rebuilt, T + SECOND, 120);
  }

  @Test
  void a_step_restored_after_a_restart_undoes_the_action_from_before_it() {
    Fleet before = Fleet.demo(SEED);
    SimulatorExecutor executor = open(before);
    Action shrink =
        new Action(new Target("simulator", "", "api"), "scale", Map.of("replicas", "1"));
    PriorState prior = executor.capture(shrink);
    executor.apply(shrink, "inc-2/scale/1");

    Fleet after = Fleet.demo(SEED);
    SimulatorExecutor reopened = open(after);
    ActionResult undone = reopened.restore(prior, "inc-2/undo/1");

    assertThat(undone.summary())
        .isEqualTo("restored api to 3 replicas of v2.14.0 (was 1 replica of v2.14.0)");
    assertThat(open(Fleet.demo(SEED)).restore(prior, "inc-2/undo/1")).isEqualTo(undone);
  }

  @Test
  void a_state_file_from_a_different_fleet_is_refused_naming_the_file() {
    open(Fleet.demo(SEED)).save();
    Fleet other = new Fleet(SEED, DemoFleet.services().subList(2, 4), Duration.ofMinutes(1));

    assertThatThrownBy(() -> open(other))
        .isInstanceOf(StateFileException.class)
        .hasMessage(
            directory.resolve("simulator.state")
                + ": the saved state is for services [api, checkout, db, cache] but the fleet has"
                + " [db, cache]");
  }
}
