package dev.sentinel.app.observe;

/** Reports one component's health. Called from request threads: must be quick and thread-safe. */
@FunctionalInterface
public interface HealthCheck {
  Health check();
}
