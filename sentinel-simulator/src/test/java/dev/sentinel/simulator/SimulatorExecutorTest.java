package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorExecutorTest {

  private static final long T = WEDNESDAY_AFTERNOON;

  @TempDir Path directory;

  private final ManualClock clock = new ManualClock(T);
  private final Fleet fleet = Fleet.demo(1);
  private SimulatorExecutor executor;

  @BeforeEach
  void open() {
    executor =
        SimulatorExecutor.open(fleet, new FleetStateFile(directory.resolve("fleet.state")), clock);
  }

  private static Action action(String service, String operation, Map<String, String> parameters) {
    return new Action(new Target("simulator", "", service), operation, parameters);
  }

  /**
   * Applies, then restores what was captured before, and checks that replicas and version are back.
   * (The version history is not: putting a version back is a deploy, which a rollback can undo.)
   */
  private ActionResult applyThenRestore(
      Action action, String appliedSummary, String restoredSummary) {
    PriorState prior = executor.capture(action);
    clock.advance(Duration.ofSeconds(1));

    ActionResult applied = executor.apply(action, "apply");
    clock.advance(Duration.ofSeconds(1));
    ActionResult restored = executor.restore(prior, "restore");

    assertThat(applied.summary()).isEqualTo(appliedSummary);
    assertThat(restored.summary()).isEqualTo(restoredSummary);
    Map<String, String> now = executor.capture(action).state();
    assertThat(((ActionResult.Applied) restored).after()).isEqualTo(now);
    assertThat(now)
        .containsEntry("replicas", prior.get("replicas"))
        .containsEntry("version", prior.get("version"));
    return applied;
  }

  @Test
  void restart_gives_fresh_processes_and_leaves_nothing_to_restore() {
    fleet.inject(FaultKind.MEMORY_LEAK, "checkout", T);

    applyThenRestore(
        action("checkout", "restart", Map.of()),
        "restarted checkout: fresh processes for 2 replicas of v1.8.3",
        "checkout already had 2 replicas of v1.8.3: nothing to restore");

    assertThat(fleet.activeFaults()).isEmpty();
    assertThat(fleet.snapshotState().services().get(1).processStartMillis()).isEqualTo(T + 1_000);
  }

  @Test
  void scale_sets_the_replicas_and_restore_puts_them_back() {
    ActionResult applied =
        applyThenRestore(
            action("api", "scale", Map.of("replicas", "6")),
            "scaled api from 3 to 6 replicas",
            "restored api to 3 replicas of v2.14.0 (was 6 replicas of v2.14.0)");

    assertThat(applied)
        .isEqualTo(
            new ActionResult.Applied(
                "scaled api from 3 to 6 replicas", Map.of("replicas", "6", "version", "v2.14.0")));
  }

  @Test
  void scale_by_a_delta_counts_from_the_current_replicas() {
    assertThat(executor.apply(action("api", "scale", Map.of("delta", "+3")), "k1").summary())
        .isEqualTo("scaled api from 3 to 6 replicas");
    assertThat(executor.apply(action("api", "scale", Map.of("delta", "-4")), "k2").summary())
        .isEqualTo("scaled api from 6 to 2 replicas");
  }

  @Test
  void deploy_rolls_out_a_version_and_restore_brings_the_old_one_back() {
    ActionResult applied =
        applyThenRestore(
            action("cache", "deploy", Map.of("version", "v7.3.0")),
            "deployed v7.3.0 to cache, replacing v7.2.4",
            "restored cache to 2 replicas of v7.2.4 (was 2 replicas of v7.3.0)");

    assertThat(((ActionResult.Applied) applied).after())
        .containsEntry("version", "v7.3.0")
        .containsEntry("previousVersion", "v7.2.4");
  }

  @Test
  void rollback_returns_to_the_previous_version_and_restore_to_the_newer_one() {
    fleet.inject(FaultKind.BAD_DEPLOY, "api", T);

    applyThenRestore(
        action("api", "rollback", Map.of()),
        "rolled api back from v2.14.1 to v2.14.0",
        "restored api to 3 replicas of v2.14.1 (was 3 replicas of v2.14.0)");

    assertThat(fleet.activeFaults())
        .as("the defective version is running again")
        .extracting(Fault::kind)
        .containsExactly(FaultKind.BAD_DEPLOY);
  }

  @Test
  void a_restart_repeated_under_the_same_key_restarts_once() {
    Action restart = action("db", "restart", Map.of());
    ActionResult first = executor.apply(restart, "inc-1/restart-db/1");
    clock.advance(Duration.ofMinutes(5));

    ActionResult again = executor.apply(restart, "inc-1/restart-db/1");

    assertThat(again).isEqualTo(first);
    assertThat(fleet.snapshotState().services().get(2).restartedAtMillis()).isEqualTo(T);
    executor.apply(restart, "inc-1/restart-db/2");
    assertThat(fleet.snapshotState().services().get(2).restartedAtMillis())
        .as("a new key acts")
        .isEqualTo(T + 300_000);
  }

  @Test
  void a_restore_repeated_under_the_same_key_restores_once() {
    PriorState three = executor.capture(action("api", "scale", Map.of()));
    executor.apply(action("api", "scale", Map.of("replicas", "6")), "scale-1");
    ActionResult first = executor.restore(three, "undo-1");
    executor.apply(action("api", "scale", Map.of("replicas", "8")), "scale-2");

    assertThat(executor.restore(three, "undo-1")).isEqualTo(first);
    assertThat(fleet.state("api").replicas()).isEqualTo(8);
  }

  @Test
  void a_failure_is_kept_under_its_key_like_a_success() {
    Action rollback = action("cache", "rollback", Map.of());
    ActionResult first = executor.apply(rollback, "k");
    executor.apply(action("cache", "deploy", Map.of("version", "v7.3.0")), "k2");

    assertThat(executor.apply(rollback, "k"))
        .isEqualTo(first)
        .isInstanceOf(ActionResult.Failed.class);
    assertThat(fleet.state("cache").version()).isEqualTo("v7.3.0");
  }

  @Test
  void a_key_reused_for_another_request_is_refused_without_acting() {
    executor.apply(action("api", "restart", Map.of()), "k");

    ActionResult reused = executor.apply(action("api", "scale", Map.of("replicas", "9")), "k");

    assertThat(reused)
        .isEqualTo(
            new ActionResult.Failed(
                "idempotency key 'k' was first used for 'restart simulator:api'; not performing"
                    + " 'scale simulator:api {replicas=9}' under it"));
    assertThat(fleet.state("api").replicas()).isEqualTo(3);
  }

  @Test
  void invalid_requests_fail_with_the_reason_and_change_nothing() {
    FleetState before = fleet.snapshotState();

    assertFails(
        action("payments", "restart", Map.of()),
        "unknown service 'payments'; the fleet has api, checkout, db, cache");
    assertFails(
        action("api", "reboot", Map.of()),
        "unknown operation 'reboot'; the simulator performs deploy, restart, rollback, scale");
    assertFails(
        action("api", "restart", Map.of("replicas", "3")),
        "restart does not take the parameter 'replicas'");
    assertFails(
        action("api", "scale", Map.of()),
        "scale needs either replicas (e.g. replicas=6) or delta (e.g. delta=+3), not neither");
    assertFails(
        action("api", "scale", Map.of("replicas", "6", "delta", "+1")),
        "scale needs either replicas (e.g. replicas=6) or delta (e.g. delta=+3), not both");
    assertFails(
        action("api", "scale", Map.of("replicas", "many")),
        "replicas for api must be a whole number, was 'many'");
    assertFails(
        action("api", "scale", Map.of("size", "6")),
        "scale does not take the parameter 'size'; it takes replicas or delta");
    assertFails(
        action("api", "scale", Map.of("replicas", "0")),
        "replicas for api must be between 1 and 50, was 0");
    assertFails(
        action("api", "scale", Map.of("delta", "+48")),
        "replicas for api must be between 1 and 50, was 51");
    assertFails(
        action("api", "deploy", Map.of()),
        "deploy needs the version to roll out, e.g. version=v2.15.0");
    assertFails(
        action("api", "deploy", Map.of("version", "v2.14.0")), "api already runs version v2.14.0");
    assertFails(
        action("db", "rollback", Map.of()),
        "cannot roll back db: no version before v15.4 was deployed");
    assertFails(
        new Action(new Target("kubernetes", "shop", "api"), "restart", Map.of()),
        "the simulator executor acts on platform 'simulator', not 'kubernetes'");
    ActionResult restore =
        executor.restore(
            new PriorState(new Target("simulator", "", "api"), Map.of("replicas", "2")), "undo");
    assertThat(restore)
        .isEqualTo(
            new ActionResult.Failed(
                "cannot restore api: the prior state needs replicas and version, has {replicas=2}"));

    assertThat(fleet.snapshotState()).isEqualTo(before);
  }

  private void assertFails(Action action, String reason) {
    assertThat(executor.apply(action, "key for " + action.describe()))
        .isEqualTo(new ActionResult.Failed(reason));
  }

  @Test
  void describe_shows_the_state_and_the_faults_active_now() {
    fleet.deploy("checkout", "v1.9.0", T - 60_000);
    fleet.inject(FaultKind.MEMORY_LEAK, "checkout", T - 30_000);
    fleet.inject(FaultKind.LATENCY_SPIKE, "checkout", T - 20_000);
    clock.advance(Duration.ofMinutes(10));

    assertThat(executor.describe(new Target("simulator", "", "checkout")))
        .containsExactly(
            Map.entry("replicas", "2"),
            Map.entry("version", "v1.9.0"),
            Map.entry("previousVersion", "v1.8.3"),
            Map.entry("faults", "memory_leak since 2024-05-15T13:59:30Z"),
            Map.entry("changedAtMillis", Long.toString(T - 60_000)));
    assertThat(executor.describe(new Target("simulator", "", "db")))
        .containsEntry("faults", "none")
        .doesNotContainKey("changedAtMillis");
  }

  @Test
  void capture_and_describe_of_a_service_the_fleet_lacks_throw() {
    assertThatThrownBy(() -> executor.capture(action("payments", "restart", Map.of())))
        .isInstanceOf(UnknownServiceException.class);
    assertThatThrownBy(() -> executor.describe(new Target("simulator", "", "payments")))
        .isInstanceOf(UnknownServiceException.class);
  }

  @Test
  void it_acts_on_the_simulator_platform_with_four_operations() {
    assertThat(executor.platform()).isEqualTo("simulator");
    assertThat(executor.operations())
        .containsExactlyInAnyOrder("restart", "scale", "deploy", "rollback");
  }
}
