package dev.sentinel.verify;

import java.util.Objects;

/**
 * The verdict of a verification, with the figures behind it.
 *
 * @param before anomalies on the incident's series in the window before the action
 * @param after anomalies after the action (past the grace period)
 * @param worstBefore the highest anomaly score before the action
 * @param worstAfter the highest anomaly score after it
 */
public record RecoveryReport(
    Recovery recovery,
    String summary,
    int before,
    int after,
    double worstBefore,
    double worstAfter) {

  public RecoveryReport {
    Objects.requireNonNull(recovery, "recovery");
    Objects.requireNonNull(summary, "summary");
  }
}
