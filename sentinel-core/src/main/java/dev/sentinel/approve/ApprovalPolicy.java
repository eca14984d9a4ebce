package dev.sentinel.approve;

import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether a plan runs without a human: only low-risk plans, only while the circuit breaker
 * is closed (recent auto-approved actions mostly worked), and only within the per-minute and
 * per-hour budgets. Everything else waits for a person.
 *
 * <p>Thread-safe. The breaker and budgets are per Sentinel instance.
 */
public final class ApprovalPolicy {

  private final ApprovalConfig config;
  private final CircuitBreaker breaker;
  private final RateLimiter perMinute;
  private final RateLimiter perHour;

  public ApprovalPolicy(ApprovalConfig config) {
    this.config = config;
    this.breaker =
        CircuitBreaker.of(
            "auto-approval",
            CircuitBreakerConfig.custom()
                .failureRateThreshold(config.failureRateThreshold())
                .minimumNumberOfCalls(config.minimumCalls())
                .slidingWindowSize(Math.max(config.minimumCalls(), 20))
                .waitDurationInOpenState(Duration.ofSeconds(config.openSeconds()))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    this.perMinute = limiter("auto-approval-minute", config.perMinute(), Duration.ofMinutes(1));
    this.perHour = limiter("auto-approval-hour", config.perHour(), Duration.ofHours(1));
  }

  private static RateLimiter limiter(String name, int limit, Duration period) {
    return RateLimiter.of(
        name,
        RateLimiterConfig.custom()
            .limitForPeriod(Math.max(limit, 1))
            .limitRefreshPeriod(period)
            .timeoutDuration(Duration.ZERO)
            .build());
  }

  public ApprovalDecision decide(Plan plan) {
    if (plan.isEmpty()) {
      return new ApprovalDecision.NeedsHuman("the plan has no step Sentinel may take");
    }
    if (config.autoApproveUpTo() == null) {
      return new ApprovalDecision.NeedsHuman("auto-approval is turned off");
    }
    if (plan.risk().compareTo(config.autoApproveUpTo()) > 0) {
      return new ApprovalDecision.NeedsHuman(
          "risk " + plan.risk() + " is above the auto-approval limit " + config.autoApproveUpTo());
    }
    long downtime = plan.steps().stream().mapToLong(PlanStep::estimatedDowntimeSeconds).sum();
    if (downtime >= config.maxAutoDowntimeSeconds()) {
      return new ApprovalDecision.NeedsHuman(
          "estimated downtime "
              + downtime
              + " s is not below the auto-approval limit of "
              + config.maxAutoDowntimeSeconds()
              + " s");
    }
    if (!breaker.tryAcquirePermission()) {
      return new ApprovalDecision.NeedsHuman(
          "the circuit breaker is "
              + breaker.getState()
              + ": recent auto-approved actions failed too often ("
              + String.format("%.0f", breaker.getMetrics().getFailureRate())
              + "% failed)");
    }
    // Give the breaker's permission back: it is taken for real when the outcome is recorded.
    breaker.releasePermission();
    if (config.perMinute() == 0 || config.perHour() == 0) {
      return new ApprovalDecision.NeedsHuman("the auto-approval rate limit is zero");
    }
    if (!perMinute.acquirePermission()) {
      return new ApprovalDecision.NeedsHuman(
          "the per-minute auto-approval limit of " + config.perMinute() + " is used up");
    }
    if (!perHour.acquirePermission()) {
      return new ApprovalDecision.NeedsHuman(
          "the per-hour auto-approval limit of " + config.perHour() + " is used up");
    }
    return new ApprovalDecision.AutoApproved(
        "risk " + plan.risk() + ", ~" + downtime + " s downtime, breaker closed, within limits");
  }

  /** Tells the breaker how an executed action ended: failed or worse counts against it. */
  public void recordOutcome(boolean succeeded) {
    if (succeeded) {
      breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    } else {
      breaker.onError(0, TimeUnit.NANOSECONDS, new IllegalStateException("remediation failed"));
    }
  }

  public String breakerState() {
    return breaker.getState().name();
  }
}
