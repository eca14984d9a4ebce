package dev.sentinel.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the models cost: every call's tokens, latency and estimated price, per provider as {@code
 * sentinel.llm.*} metrics and per incident and per UTC day for the budgets.
 *
 * <p>Thread-safe (the workflow may analyse several incidents at once). Kept in memory: after a
 * restart the day's spend starts again from zero, which errs towards spending, bounded by one day's
 * budget per restart.
 */
public final class Spending {

  /** Incidents remembered for their budget; the oldest are forgotten first. */
  private static final int MAX_INCIDENTS = 10_000;

  private final MeterRegistry meters;
  private final Clock clock;
  private final double incidentBudgetUsd;
  private final double dailyBudgetUsd;
  private final Map<String, Tally> incidents =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tally> eldest) {
          return size() > MAX_INCIDENTS;
        }
      };
  private final Map<String, Tally> providers = new HashMap<>();
  private LocalDate day;
  private double daySpentUsd;

  public Spending(
      MeterRegistry meters, Clock clock, double incidentBudgetUsd, double dailyBudgetUsd) {
    this.meters = meters;
    this.clock = clock;
    this.incidentBudgetUsd = incidentBudgetUsd;
    this.dailyBudgetUsd = dailyBudgetUsd;
    this.day = today();
    meters.gauge("sentinel.llm.daily.spent.usd", this, Spending::daySpentUsd);
  }

  /** Calls, tokens and estimated US dollars so far. */
  public record Tally(int calls, long inputTokens, long outputTokens, double costUsd) {
    static final Tally NONE = new Tally(0, 0, 0, 0);

    Tally plus(long input, long output, double cost) {
      return new Tally(calls + 1, inputTokens + input, outputTokens + output, costUsd + cost);
    }
  }

  /** Books one call and returns its estimated cost. */
  public double record(
      ProviderSettings provider, String incidentId, long input, long output, Duration latency) {
    double cost = provider.cost(input, output);
    String name = provider.name();
    meters.counter("sentinel.llm.tokens", "provider", name, "direction", "input").increment(input);
    meters
        .counter("sentinel.llm.tokens", "provider", name, "direction", "output")
        .increment(output);
    Counter.builder("sentinel.llm.cost.usd")
        .description("estimated spend from configured prices")
        .tag("provider", name)
        .register(meters)
        .increment(cost);
    Timer.builder("sentinel.llm.latency").tag("provider", name).register(meters).record(latency);
    synchronized (this) {
      rollDay();
      daySpentUsd += cost;
      incidents.merge(incidentId, Tally.NONE.plus(input, output, cost), Spending::sum);
      providers.merge(name, Tally.NONE.plus(input, output, cost), Spending::sum);
    }
    return cost;
  }

  /**
   * Books one finished task (an incident's analysis or plan): who answered it, and its cost as a
   * distribution, which is the per-incident cost without a label per incident.
   */
  public void task(String role, boolean answeredByModel, Tally tally) {
    meters
        .counter("sentinel.llm.tasks", "role", role, "by", answeredByModel ? "llm" : "rules")
        .increment();
    DistributionSummary.builder("sentinel.llm.task.cost.usd")
        .tag("role", role)
        .register(meters)
        .record(tally.costUsd());
  }

  /** Counts a failed call or a fall-back, by provider and reason. */
  public void failure(String provider, String reason) {
    meters.counter("sentinel.llm.failures", "provider", provider, "reason", reason).increment();
  }

  /** Why no more may be spent on this incident, or {@code null} when it may. */
  public synchronized String refusal(String incidentId) {
    rollDay();
    double spent = incident(incidentId).costUsd();
    if (spent >= incidentBudgetUsd) {
      return String.format(
          java.util.Locale.ROOT,
          "incident LLM budget spent ($%.6f of $%.6f)",
          spent,
          incidentBudgetUsd);
    }
    if (daySpentUsd >= dailyBudgetUsd) {
      return String.format(
          java.util.Locale.ROOT,
          "daily LLM budget spent ($%.6f of $%.6f)",
          daySpentUsd,
          dailyBudgetUsd);
    }
    return null;
  }

  public synchronized Tally incident(String incidentId) {
    return incidents.getOrDefault(incidentId, Tally.NONE);
  }

  public synchronized Tally provider(String name) {
    return providers.getOrDefault(name, Tally.NONE);
  }

  public synchronized double daySpentUsd() {
    rollDay();
    return daySpentUsd;
  }

  private void rollDay() {
    LocalDate now = today();
    if (!now.equals(day)) {
      day = now;
      daySpentUsd = 0;
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static Tally sum(Tally a, Tally b) {
    return new Tally(
        a.calls() + b.calls(),
        a.inputTokens() + b.inputTokens(),
        a.outputTokens() + b.outputTokens(),
        a.costUsd() + b.costUsd());
  }
}
