package dev.sentinel.plan;

import java.util.List;
import java.util.Objects;

/**
 * A remediation plan: the steps to take, in order. An empty plan means Sentinel knows no safe
 * action and a human must decide.
 */
public record Plan(List<PlanStep> steps, String summary) {

  public Plan {
    Objects.requireNonNull(summary, "summary");
    steps = List.copyOf(steps);
  }

  /** The riskiest step decides how the plan is approved. */
  public Risk risk() {
    return steps.stream().map(PlanStep::risk).max(Enum::compareTo).orElse(Risk.LOW);
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }
}
