package dev.sentinel.approve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.plan.Risk;
import dev.sentinel.plan.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalPolicyTest {

  private static Plan plan(long downtimeSeconds, BlastRadius radius) {
    Action restart = new Action(new Target("simulator", "", "api"), "restart", Map.of());
    return new Plan(List.of(PlanStep.of(restart, downtimeSeconds, radius, "test")), "restart api");
  }

  private static final Plan LOW_RISK = plan(5, BlastRadius.SERVICE);

  @Test
  void a_low_risk_step_is_auto_approved() {
    ApprovalDecision decision = new ApprovalPolicy(ApprovalConfig.defaults()).decide(LOW_RISK);

    assertThat(decision).isInstanceOf(ApprovalDecision.AutoApproved.class);
  }

  @Test
  void a_risky_step_waits_for_a_human_and_says_why() {
    ApprovalPolicy policy = new ApprovalPolicy(ApprovalConfig.defaults());

    assertThat(policy.decide(plan(600, BlastRadius.SERVICE)))
        .isEqualTo(
            new ApprovalDecision.NeedsHuman("risk HIGH is above the auto-approval limit LOW"));
    assertThat(policy.decide(plan(5, BlastRadius.DEPENDENTS)))
        .isInstanceOf(ApprovalDecision.NeedsHuman.class);
  }

  @Test
  void downtime_at_the_limit_is_not_auto_approved_even_when_the_risk_level_allows_it() {
    ApprovalConfig mediumAllowed = new ApprovalConfig(Risk.MEDIUM, 60, 10, 10, 300, 5, 30);

    ApprovalDecision decision =
        new ApprovalPolicy(mediumAllowed).decide(plan(60, BlastRadius.SERVICE));

    assertThat(decision).isInstanceOf(ApprovalDecision.NeedsHuman.class);
    assertThat(((ApprovalDecision.NeedsHuman) decision).reason()).contains("downtime 60 s");
  }

  @Test
  void an_empty_plan_and_disabled_auto_approval_need_a_human() {
    ApprovalConfig off = new ApprovalConfig(null, 60, 10, 10, 300, 5, 30);

    assertThat(new ApprovalPolicy(ApprovalConfig.defaults()).decide(new Plan(List.of(), "nothing")))
        .isInstanceOf(ApprovalDecision.NeedsHuman.class);
    assertThat(new ApprovalPolicy(off).decide(LOW_RISK))
        .isEqualTo(new ApprovalDecision.NeedsHuman("auto-approval is turned off"));
  }

  @Test
  void auto_approval_stops_when_the_breaker_opens_at_one_failure_in_ten() {
    ApprovalPolicy policy =
        new ApprovalPolicy(new ApprovalConfig(Risk.LOW, 60, 10, 10, 300, 100, 100));
    for (int i = 0; i < 9; i++) {
      assertThat(policy.decide(LOW_RISK)).isInstanceOf(ApprovalDecision.AutoApproved.class);
      policy.recordOutcome(true);
    }
    assertThat(policy.breakerState()).isEqualTo("CLOSED");

    policy.recordOutcome(false);

    assertThat(policy.breakerState()).isEqualTo("OPEN");
    ApprovalDecision decision = policy.decide(LOW_RISK);
    assertThat(decision).isInstanceOf(ApprovalDecision.NeedsHuman.class);
    assertThat(((ApprovalDecision.NeedsHuman) decision).reason())
        .contains("circuit breaker is OPEN")
        .contains("10% failed");
  }

  @Test
  void the_breaker_stays_closed_while_failures_stay_under_the_threshold() {
    ApprovalPolicy policy =
        new ApprovalPolicy(new ApprovalConfig(Risk.LOW, 60, 20, 10, 300, 100, 100));
    for (int i = 0; i < 19; i++) {
      policy.recordOutcome(i != 0);
    }

    assertThat(policy.breakerState()).isEqualTo("CLOSED");
    assertThat(policy.decide(LOW_RISK)).isInstanceOf(ApprovalDecision.AutoApproved.class);
  }

  @Test
  void the_per_minute_budget_sends_the_next_step_to_a_human() {
    ApprovalPolicy policy =
        new ApprovalPolicy(new ApprovalConfig(Risk.LOW, 60, 10, 10, 300, 2, 30));

    assertThat(policy.decide(LOW_RISK)).isInstanceOf(ApprovalDecision.AutoApproved.class);
    assertThat(policy.decide(LOW_RISK)).isInstanceOf(ApprovalDecision.AutoApproved.class);
    assertThat(policy.decide(LOW_RISK))
        .isEqualTo(
            new ApprovalDecision.NeedsHuman("the per-minute auto-approval limit of 2 is used up"));
  }

  @Test
  void the_per_hour_budget_holds_across_minutes() {
    ApprovalPolicy policy = new ApprovalPolicy(new ApprovalConfig(Risk.LOW, 60, 10, 10, 300, 1, 1));

    assertThat(policy.decide(LOW_RISK)).isInstanceOf(ApprovalDecision.AutoApproved.class);
    assertThat(policy.decide(LOW_RISK)).isInstanceOf(ApprovalDecision.NeedsHuman.class);
  }

  @Test
  void a_zero_rate_limit_never_auto_approves() {
    ApprovalPolicy policy = new ApprovalPolicy(new ApprovalConfig(Risk.LOW, 60, 10, 10, 300, 0, 0));

    assertThat(policy.decide(LOW_RISK))
        .isEqualTo(new ApprovalDecision.NeedsHuman("the auto-approval rate limit is zero"));
  }

  @Test
  void inconsistent_limits_are_refused_with_the_reason() {
    assertThatThrownBy(() -> new ApprovalConfig(Risk.LOW, 60, 10, 10, 300, 10, 5))
        .hasMessage("perMinute (10) cannot exceed perHour (5)");
    assertThatThrownBy(() -> new ApprovalConfig(Risk.LOW, 60, 0, 10, 300, 5, 30))
        .hasMessageContaining("failureRateThreshold");
  }
}
