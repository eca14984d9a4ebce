package dev.sentinel.app.config;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The audit trail.
 *
 * @param retentionDays entries older than this many days are pruned once a day (the pruning is
 *     itself audited, and the rest of the chain still verifies); 0 keeps everything. Kept forever
 *     by default because what an auditor needs is a policy decision, not ours.
 */
public record AuditConfig(int retentionDays) {

  public AuditConfig {
    if (retentionDays < 0 || retentionDays > 36_500) {
      throw new IllegalArgumentException(
          "retentionDays must be in 0..36500 (0 keeps everything), was " + retentionDays);
    }
  }

  public static AuditConfig defaults() {
    return new AuditConfig(0);
  }

  /**
   * The time before which entries are due for pruning at {@code nowMillis}, or empty when
   * everything is kept. The composition root runs {@code trail.pruneBefore(cutoff, "retention")}
   * with it once a day.
   */
  public OptionalLong cutoffMillis(long nowMillis) {
    return retentionDays == 0
        ? OptionalLong.empty()
        : OptionalLong.of(nowMillis - Duration.ofDays(retentionDays).toMillis());
  }
}
