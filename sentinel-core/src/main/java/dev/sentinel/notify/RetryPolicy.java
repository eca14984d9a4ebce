package dev.sentinel.notify;

import java.util.random.RandomGenerator;

/**
 * How often and how patiently a failed delivery is retried: exponential backoff from {@code
 * firstDelayMillis}, doubled per attempt up to {@code maxDelayMillis}, with jitter, for at most
 * {@code maxAttempts} attempts in all.
 */
public record RetryPolicy(int maxAttempts, long firstDelayMillis, long maxDelayMillis) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (firstDelayMillis < 1 || maxDelayMillis < firstDelayMillis) {
      throw new IllegalArgumentException(
          "need 1 <= firstDelayMillis <= maxDelayMillis, were "
              + firstDelayMillis
              + " and "
              + maxDelayMillis);
    }
  }

  /** Eight attempts over about four minutes: rides out a receiver's restart or a short outage. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(8, 1_000, 60_000);
  }

  /**
   * The wait after the given failed attempt (1 for the first). The "equal jitter" of AWS's backoff
   * article: half the exponential delay for sure, the other half random, so that many deliveries
   * failing together (a receiver's outage) do not all come back at the same instant, yet each still
   * waits at least half its step.
   */
  public long delayAfter(int attempt, RandomGenerator random) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long exponential = Math.min(maxDelayMillis, firstDelayMillis << doublings);
    long half = exponential / 2;
    return half + (exponential - half == 0 ? 0 : random.nextLong(exponential - half + 1));
  }

  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}
