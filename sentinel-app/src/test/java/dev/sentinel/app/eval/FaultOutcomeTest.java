package dev.sentinel.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.simulator.FaultKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultOutcomeTest {

  private static FaultOutcome outcome(
      long recovery, boolean falseCredit, String clearedBy, int approvals, String escalation) {
    return new FaultOutcome(
        FaultKind.ERROR_BURST,
        "checkout",
        2,
        List.of("inc-1"),
        "error-burst",
        0.6,
        List.of(new FaultOutcome.ActionTaken(40, "restart simulator:checkout", "applied", true)),
        0,
        0,
        0,
        approvals,
        recovery,
        falseCredit,
        clearedBy,
        escalation);
  }

  @Test
  void a_verified_recovery_that_ended_the_fault_after_one_approval_is_resolved() {
    assertThat(outcome(60, false, "action", 1, "").outcome()).isEqualTo("resolved");
  }

  @Test
  void a_recovery_verified_while_the_fault_went_on_is_a_false_recovery() {
    assertThat(outcome(60, true, "harness", 0, "").outcome()).isEqualTo("false-recovery");
  }

  @Test
  void a_recovery_that_took_two_approvals_is_not_counted_as_resolved() {
    FaultOutcome twice = outcome(60, false, "action", 2, "");
    assertThat(twice.resolved()).isFalse();
    assertThat(twice.outcome()).isEqualTo("resolved-after-approvals");
  }

  @Test
  void no_recovery_and_a_human_asked_for_is_escalated() {
    assertThat(outcome(-1, false, "harness", 0, "a human must take over").outcome())
        .isEqualTo("escalated");
  }
}
