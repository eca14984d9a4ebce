package dev.sentinel.approve;

import dev.sentinel.plan.Risk;

/**
 * When Sentinel may act without a human.
 *
 * @param autoApproveUpTo the highest risk that may be auto-approved ({@code LOW} by default; {@code
 *     null} never auto-approves)
 * @param maxAutoDowntimeSeconds and only when the step's estimated downtime is below this
 * @param failureRateThreshold percentage of failed or worsening actions that opens the circuit
 *     breaker and stops auto-approval
 * @param minimumCalls actions the breaker sees before it judges the failure rate
 * @param openSeconds how long the open breaker blocks auto-approval before it tries again
 * @param perMinute auto-approved actions allowed per minute
 * @param perHour auto-approved actions allowed per hour
 */
public record ApprovalConfig(
    Risk autoApproveUpTo,
    long maxAutoDowntimeSeconds,
    float failureRateThreshold,
    int minimumCalls,
    long openSeconds,
    int perMinute,
    int perHour) {

  public ApprovalConfig {
    if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
      throw new IllegalArgumentException(
          "failureRateThreshold must be in (0,100], was " + failureRateThreshold);
    }
    if (minimumCalls < 1) {
      throw new IllegalArgumentException("minimumCalls must be >= 1, was " + minimumCalls);
    }
    if (openSeconds < 1) {
      throw new IllegalArgumentException("openSeconds must be >= 1, was " + openSeconds);
    }
    if (perMinute < 0 || perHour < 0) {
      throw new IllegalArgumentException("perMinute and perHour must be >= 0");
    }
    if (perHour > 0 && perMinute > perHour) {
      throw new IllegalArgumentException(
          "perMinute (" + perMinute + ") cannot exceed perHour (" + perHour + ")");
    }
  }

  public static ApprovalConfig defaults() {
    return new ApprovalConfig(Risk.LOW, 60, 10, 10, 300, 5, 30);
  }
}
