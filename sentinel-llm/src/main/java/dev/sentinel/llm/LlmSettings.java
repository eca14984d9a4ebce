package dev.sentinel.llm;

import java.util.List;
import java.util.Objects;

/**
 * How the LLM analyst and planner work.
 *
 * @param providers tried in order; the rule-based analyst and planner come after the last
 * @param maxSteps model calls per task (analysis or plan), tool rounds and the one corrective retry
 *     included
 * @param incidentBudgetUsd estimated spend per incident after which its remaining work uses rules
 * @param dailyBudgetUsd estimated spend per UTC day after which every incident uses rules
 */
public record LlmSettings(
    List<ProviderSettings> providers,
    int maxSteps,
    double incidentBudgetUsd,
    double dailyBudgetUsd) {

  public LlmSettings {
    Objects.requireNonNull(providers, "providers");
    providers = List.copyOf(providers);
    if (maxSteps < 1 || maxSteps > 50) {
      throw new IllegalArgumentException("maxSteps must be 1..50, was " + maxSteps);
    }
    if (!(incidentBudgetUsd >= 0) || !(dailyBudgetUsd >= 0)) {
      throw new IllegalArgumentException("budgets must be >= 0");
    }
    if (providers.stream().map(ProviderSettings::name).distinct().count() != providers.size()) {
      throw new IllegalArgumentException("provider names must be unique");
    }
  }
}
