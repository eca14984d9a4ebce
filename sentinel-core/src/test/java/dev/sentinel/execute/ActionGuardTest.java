package dev.sentinel.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionGuardTest {

  private final ScriptedExecutor kubernetes = new ScriptedExecutor("kubernetes");
  private final List<String> stored = new ArrayList<>();

  private ActionGuard guard(Boolean dryRun, ActionLimits limits) {
    return new ActionGuard(
        new ExecutorRegistry(List.of(kubernetes)),
        new SafetyConfig(
            dryRun, Map.of("kubernetes", List.of("prod/deployment/checkout-*")), limits));
  }

  private static Action scale(String namespace, String deployment, int replicas) {
    return new Action(
        new Target("kubernetes", namespace, "deployment/" + deployment),
        "scale",
        Map.of("replicas", Integer.toString(replicas)));
  }

  private Attempt act(ActionGuard guard, Action action) {
    return guard.act(
        action,
        "inc-1/1/0/execute",
        null,
        prior -> {
          kubernetes.calls.add("stored");
          stored.add(prior.get("replicas"));
        });
  }

  @Test
  void an_allowed_action_stores_the_prior_state_before_the_executor_acts() {
    Attempt attempt = act(guard(false, ActionLimits.defaults()), scale("prod", "checkout-web", 6));

    assertThat(attempt.result()).isInstanceOf(ActionResult.Applied.class);
    assertThat(attempt.prior().get("replicas")).isEqualTo("4");
    assertThat(kubernetes.calls)
        .containsExactly(
            "capture deployment/checkout-web",
            "stored",
            "apply " + scale("prod", "checkout-web", 6).describe());
  }

  @Test
  void a_target_outside_the_allow_list_is_refused_before_the_platform_is_read() {
    Attempt attempt =
        act(guard(false, ActionLimits.defaults()), scale("kube-system", "coredns", 3));

    assertThat(attempt.result()).isInstanceOf(ActionResult.Refused.class);
    assertThat(attempt.result().summary())
        .contains("'kube-system/deployment/coredns' is not on the kubernetes allow list")
        .contains("prod/deployment/checkout-*");
    assertThat(attempt.prior()).isNull();
    assertThat(kubernetes.calls).isEmpty();
  }

  @Test
  void a_platform_without_an_allow_list_may_not_be_touched() {
    ScriptedExecutor ec2 = new ScriptedExecutor("aws-ec2");
    ActionGuard guard =
        new ActionGuard(
            new ExecutorRegistry(List.of(ec2)),
            new SafetyConfig(false, Map.of(), ActionLimits.defaults()));

    Attempt attempt =
        guard.act(
            new Action(new Target("aws-ec2", "eu-west-1", "i-0abc"), "restart", Map.of()),
            "k",
            null,
            p -> {});

    assertThat(attempt.result().summary()).contains("empty: nothing may be touched");
    assertThat(ec2.calls).isEmpty();
  }

  @Test
  void dry_run_reads_and_stores_the_prior_state_and_says_what_it_would_have_done() {
    Attempt attempt = act(guard(true, ActionLimits.defaults()), scale("prod", "checkout-web", 6));

    assertThat(attempt.result()).isInstanceOf(ActionResult.DryRun.class);
    assertThat(attempt.result().summary())
        .contains("dry-run on kubernetes: would scale kubernetes:prod/deployment/checkout-web")
        .contains("replicas=4");
    assertThat(stored).containsExactly("4");
    assertThat(kubernetes.calls).noneMatch(call -> call.startsWith("apply"));
    assertThat(kubernetes.replicas).isEqualTo(4);
  }

  @Test
  void dry_run_left_unset_holds_back_real_platforms_but_lets_the_simulator_act() {
    SafetyConfig unset = SafetyConfig.defaults();

    assertThat(unset.dryRun("kubernetes")).isTrue();
    assertThat(unset.dryRun("aws-ecs")).isTrue();
    assertThat(unset.dryRun("simulator")).isFalse();
    assertThat(new SafetyConfig(false, Map.of(), ActionLimits.defaults()).dryRun("kubernetes"))
        .isFalse();
  }

  @Test
  void a_scale_beyond_the_maximum_replicas_is_refused_after_reading_the_current_count() {
    Attempt attempt =
        act(guard(false, new ActionLimits(10, 6, 1)), scale("prod", "checkout-web", 7));

    assertThat(attempt.result()).isInstanceOf(ActionResult.Refused.class);
    assertThat(attempt.result().summary())
        .contains("from 4 to 7 replicas is above the limit of 6")
        .contains("maxReplicas");
    assertThat(stored).isEmpty();
    assertThat(kubernetes.replicas).isEqualTo(4);
  }

  @Test
  void a_scale_by_more_than_the_factor_is_refused_both_ways() {
    ActionGuard guard = guard(false, new ActionLimits(2, 50, 1));

    assertThat(act(guard, scale("prod", "checkout-web", 9)).result().summary())
        .contains("factor of 2.3, above the limit of 2.0");
    assertThat(act(guard, scale("prod", "checkout-web", 1)).result().summary())
        .contains("factor of 4.0");
    assertThat(act(guard, scale("prod", "checkout-web", 8)).result())
        .isInstanceOf(ActionResult.Applied.class);
  }

  @Test
  void a_scale_to_zero_is_refused_by_the_minimum() {
    Attempt attempt = act(guard(false, ActionLimits.defaults()), scale("prod", "checkout-web", 0));

    assertThat(attempt.result().summary()).contains("below the limit of 1").contains("minReplicas");
  }

  @Test
  void a_relative_scale_is_judged_from_the_current_count() {
    Action grow =
        new Action(
            new Target("kubernetes", "prod", "deployment/checkout-web"),
            "scale",
            Map.of("delta", "+20"));

    assertThat(act(guard(false, new ActionLimits(10, 20, 1)), grow).result().summary())
        .contains("from 4 to 24 replicas");
  }

  @Test
  void an_unknown_platform_or_operation_is_refused_naming_what_exists() {
    ActionGuard guard = guard(false, ActionLimits.defaults());
    Action reboot =
        new Action(new Target("kubernetes", "prod", "deployment/checkout-web"), "reboot", Map.of());
    Action ecs = new Action(new Target("aws-ecs", "prod", "checkout"), "scale", Map.of());

    assertThat(act(guard, reboot).result().summary())
        .contains("cannot 'reboot'")
        .contains("restart, scale");
    assertThat(act(guard, ecs).result().summary())
        .contains("no executor acts on platform 'aws-ecs' (configured: kubernetes)");
    assertThat(kubernetes.calls).isEmpty();
  }

  @Test
  void a_target_that_cannot_be_read_fails_without_acting() {
    kubernetes.captureFailure =
        new IllegalStateException("deployments.apps \"checkout-web\" not found");

    Attempt attempt = act(guard(false, ActionLimits.defaults()), scale("prod", "checkout-web", 5));

    assertThat(attempt.result()).isInstanceOf(ActionResult.Failed.class);
    assertThat(attempt.result().summary())
        .contains("could not read the state")
        .contains("not found");
    assertThat(kubernetes.calls).noneMatch(call -> call.startsWith("apply"));
  }

  @Test
  void a_rerun_with_a_stored_prior_state_does_not_read_the_target_again() {
    PriorState earlier =
        new PriorState(
            new Target("kubernetes", "prod", "deployment/checkout-web"), Map.of("replicas", "3"));

    Attempt attempt =
        guard(false, ActionLimits.defaults())
            .act(scale("prod", "checkout-web", 5), "k", earlier, p -> {});

    assertThat(attempt.prior()).isEqualTo(earlier);
    assertThat(kubernetes.calls).noneMatch(call -> call.startsWith("capture"));
  }

  @Test
  void restore_goes_to_the_platform_of_the_prior_state() {
    ActionGuard guard = guard(false, ActionLimits.defaults());
    PriorState prior =
        new PriorState(
            new Target("kubernetes", "kube-system", "deployment/coredns"), Map.of("replicas", "2"));

    assertThat(guard.restore(prior, "k")).isInstanceOf(ActionResult.Applied.class);
    assertThat(kubernetes.replicas).isEqualTo(2);
    assertThat(
            guard
                .restore(new PriorState(new Target("aws-ec2", "", "i-1"), Map.of()), "k")
                .summary())
        .contains("no executor acts on platform 'aws-ec2'");
  }
}
