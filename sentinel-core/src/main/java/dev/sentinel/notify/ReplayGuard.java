package dev.sentinel.notify;

/**
 * Remembers signed requests from outside (Slack's button clicks) that were already acted on, so
 * that a captured request sent again inside its signature's validity window is refused.
 *
 * <p>Thread-safe; the PostgreSQL adapter is shared by every instance, so a replay to another
 * instance is caught too.
 */
public interface ReplayGuard {

  /**
   * Records the key and answers whether it is new. Atomic: of two concurrent calls with one key,
   * exactly one gets {@code true}. Keys older than {@code forgetBeforeMillis} may be forgotten
   * (their signatures have expired anyway).
   */
  boolean firstSeen(String key, long nowMillis, long forgetBeforeMillis);
}
