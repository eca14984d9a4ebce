package dev.sentinel.plan;

import java.util.Objects;

/**
 * One step of a remediation plan, with its estimated cost.
 *
 * @param estimatedDowntimeSeconds how long users may see errors while it runs
 * @param rationale why this step, in a sentence
 */
public record PlanStep(
    Action action,
    long estimatedDowntimeSeconds,
    BlastRadius blastRadius,
    Risk risk,
    String rationale) {

  public PlanStep {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(blastRadius, "blastRadius");
    Objects.requireNonNull(risk, "risk");
    Objects.requireNonNull(rationale, "rationale");
    if (estimatedDowntimeSeconds < 0) {
      throw new IllegalArgumentException(
          "estimatedDowntimeSeconds must be >= 0, was " + estimatedDowntimeSeconds);
    }
  }

  public static PlanStep of(
      Action action, long downtimeSeconds, BlastRadius radius, String rationale) {
    return new PlanStep(
        action, downtimeSeconds, radius, Risk.of(downtimeSeconds, radius), rationale);
  }
}
