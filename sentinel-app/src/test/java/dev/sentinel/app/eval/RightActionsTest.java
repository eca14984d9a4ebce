package dev.sentinel.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import dev.sentinel.simulator.FaultKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RightActionsTest {

  private static Action action(String service, String operation, Map<String, String> parameters) {
    return new Action(new Target("simulator", "", service), operation, parameters);
  }

  @Test
  void a_restart_is_right_for_a_leak_in_its_service_and_wrong_anywhere_else() {
    assertThat(
            RightActions.right(
                FaultKind.MEMORY_LEAK, "checkout", action("checkout", "restart", Map.of()), 2))
        .isTrue();
    assertThat(
            RightActions.right(
                FaultKind.MEMORY_LEAK, "checkout", action("api", "restart", Map.of()), 3))
        .isFalse();
  }

  @Test
  void only_a_scale_up_is_right_for_saturation() {
    assertThat(
            RightActions.right(
                FaultKind.SATURATION, "db", action("db", "scale", Map.of("delta", "+6")), 1))
        .isTrue();
    assertThat(
            RightActions.right(
                FaultKind.SATURATION, "db", action("db", "scale", Map.of("replicas", "1")), 2))
        .isFalse();
    assertThat(RightActions.right(FaultKind.SATURATION, "db", action("db", "restart", Map.of()), 1))
        .isFalse();
  }

  @Test
  void a_bad_deploy_wants_a_rollback_not_a_restart() {
    assertThat(
            RightActions.right(FaultKind.BAD_DEPLOY, "api", action("api", "rollback", Map.of()), 3))
        .isTrue();
    assertThat(
            RightActions.right(FaultKind.BAD_DEPLOY, "api", action("api", "restart", Map.of()), 3))
        .isFalse();
  }

  @Test
  void the_expected_cause_is_the_analysts_name_for_the_kind() {
    assertThat(RightActions.cause(FaultKind.BAD_DEPLOY)).isEqualTo("bad-deploy");
    assertThat(RightActions.cause(FaultKind.MEMORY_LEAK)).isEqualTo("memory-leak");
  }
}
