package dev.sentinel.workflow;

/**
 * The workflow's own limits.
 *
 * @param maxIterations analyse–act–verify rounds per run before a human must take over
 * @param workers concurrent workflow workers in this instance
 * @param pollMillis how often an idle worker looks for a case
 * @param retrySeconds delay before a case whose step threw is tried again
 * @param settleSeconds how long a new incident gathers evidence before it is analysed (as
 *     Alertmanager's group_wait): one anomaly rarely tells the cause
 * @param leaseSeconds how long a worker's claim on a case lasts unless renewed (it is renewed every
 *     sixth of it): after a crash, another instance resumes the case within this time
 */
public record WorkflowConfig(
    int maxIterations,
    int workers,
    long pollMillis,
    long retrySeconds,
    long settleSeconds,
    long leaseSeconds) {

  public WorkflowConfig {
    if (maxIterations < 1 || maxIterations > 10) {
      throw new IllegalArgumentException("maxIterations must be in 1..10, was " + maxIterations);
    }
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers must be in 1..64, was " + workers);
    }
    if (pollMillis < 10) {
      throw new IllegalArgumentException("pollMillis must be >= 10, was " + pollMillis);
    }
    if (settleSeconds < 0 || settleSeconds > 3600) {
      throw new IllegalArgumentException("settleSeconds must be in 0..3600, was " + settleSeconds);
    }
    if (leaseSeconds < 6 || leaseSeconds > 3600) {
      throw new IllegalArgumentException("leaseSeconds must be in 6..3600, was " + leaseSeconds);
    }
    if (retrySeconds < 1) {
      throw new IllegalArgumentException("retrySeconds must be >= 1, was " + retrySeconds);
    }
  }

  public long leaseMillis() {
    return leaseSeconds * 1000;
  }

  public static WorkflowConfig defaults() {
    return new WorkflowConfig(3, 4, 200, 5, 15, 30);
  }
}
