package dev.sentinel.app.observe;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A health check with a deadline: a component that does not answer in time is reported DOWN at
 * once, instead of holding the health endpoint (and a Kubernetes probe) for as long as a database
 * connection takes to time out. While one call is still under way, later callers wait on it rather
 * than starting another, so a hung component never piles up threads.
 */
public final class BoundedHealthCheck implements HealthCheck {

  private final HealthCheck check;
  private final long timeoutMillis;
  private CompletableFuture<Health> running;

  public BoundedHealthCheck(HealthCheck check, long timeoutMillis) {
    this.check = check;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Health check() {
    CompletableFuture<Health> call;
    synchronized (this) {
      if (running == null || running.isDone()) {
        CompletableFuture<Health> started = new CompletableFuture<>();
        Thread.ofVirtual().name("sentinel-health").start(() -> run(started));
        running = started;
      }
      call = running;
    }
    try {
      return call.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Health(Health.Status.DOWN, "no answer within " + timeoutMillis + " ms", Map.of());
    } catch (ExecutionException e) {
      return new Health(
          Health.Status.DOWN, "the check failed: " + e.getCause().getMessage(), Map.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Health(Health.Status.DOWN, "interrupted", Map.of());
    }
  }

  private void run(CompletableFuture<Health> result) {
    try {
      result.complete(check.check());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }
}
