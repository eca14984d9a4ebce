package dev.sentinel.app.config;

import java.util.List;

/**
 * LLM-driven analysis and planning. Off by default: the rule-based analyst and planner work alone.
 * When on, the providers are tried in order and the rules come last, also when a budget is spent.
 *
 * @param maxSteps model calls per analysis or plan, tool rounds included
 * @param incidentBudgetUsd estimated spend per incident, after which it is worked by the rules
 * @param dailyBudgetUsd estimated spend per UTC day, after which every incident is
 * @param allowedTargets globs over {@code platform:scope/resource} that a model's plan may touch;
 *     its operations are further limited to what the platform's executor supports
 */
public record LlmConfig(
    boolean enabled,
    List<LlmProviderConfig> providers,
    int maxSteps,
    double incidentBudgetUsd,
    double dailyBudgetUsd,
    List<String> allowedTargets) {

  public LlmConfig {
    providers = providers == null ? List.of() : List.copyOf(providers);
    allowedTargets = allowedTargets == null ? List.of() : List.copyOf(allowedTargets);
    if (maxSteps < 1 || maxSteps > 50) {
      throw new IllegalArgumentException("maxSteps must be 1..50, was " + maxSteps);
    }
    if (!(incidentBudgetUsd >= 0) || !(dailyBudgetUsd >= 0)) {
      throw new IllegalArgumentException("budgets must be >= 0");
    }
    if (enabled && providers.isEmpty()) {
      throw new IllegalArgumentException("providers must list at least one when enabled is true");
    }
    if (providers.stream().map(LlmProviderConfig::name).distinct().count() != providers.size()) {
      throw new IllegalArgumentException("provider names must be unique");
    }
  }

  /**
   * Eight steps leave room for a few tool rounds and one correction; five cents an incident and two
   * dollars a day cover hundreds of incidents at Groq's or gpt-4o-mini's prices.
   */
  public static LlmConfig defaults() {
    return new LlmConfig(false, List.of(), 8, 0.05, 2.0, List.of("*"));
  }
}
