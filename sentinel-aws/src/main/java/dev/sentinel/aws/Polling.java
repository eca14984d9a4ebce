package dev.sentinel.aws;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Asks the platform again until a condition holds or the time is up. AWS reports a state change (an
 * instance starting, a service's deployment finishing) by polling only, and the SDK's own waiters
 * poll every 15 s, which is too coarse to verify a rollback promptly.
 */
record Polling(Duration timeout, Duration interval) {

  /**
   * @return whether the condition held before the timeout; a zero timeout does not wait
   */
  boolean until(BooleanSupplier condition) {
    if (timeout.isZero()) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
