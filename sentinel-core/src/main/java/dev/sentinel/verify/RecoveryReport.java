package dev.sentinel.verify;

import java.util.Objects;

/**
 * The verdict of a verification, with the figures behind it.
 *
 * @param before anomalies on the incident's series in the window before the action
 * @param after anomalies after the action (past the grace period)
 * @param worstBefore how far the worst symptom was outside its expected range at the action, in
 *     range widths
 * @param worstAfter the same when the verdict was reached
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
