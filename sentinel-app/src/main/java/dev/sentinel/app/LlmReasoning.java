package dev.sentinel.app;

import dev.sentinel.analyse.Analyst;
import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.LlmConfig;
import dev.sentinel.app.config.LlmProviderConfig;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.llm.ActionPolicy;
import dev.sentinel.llm.Estimates;
import dev.sentinel.llm.Knowledge;
import dev.sentinel.llm.LlmAnalyst;
import dev.sentinel.llm.LlmPlanner;
import dev.sentinel.llm.LlmSettings;
import dev.sentinel.llm.ProviderChain;
import dev.sentinel.llm.ProviderKind;
import dev.sentinel.llm.ProviderSettings;
import dev.sentinel.llm.Spending;
import dev.sentinel.llm.Toolbox;
import dev.sentinel.plan.Planner;
import dev.sentinel.plan.Playbook;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analyst and planner the workflow gets: the rules alone, or, with {@code llm.enabled}, the
 * provider chain with the rules as its last link. Built once at start; a provider's key variable
 * that is named but unset fails the start, naming the key.
 */
record LlmReasoning(Analyst analyst, Planner planner) {

  static LlmReasoning wire(
      LlmConfig config,
      Map<String, String> environment,
      Analyst rules,
      Planner rulePlanner,
      ActionPolicy policy,
      Playbook playbook,
      Optional<TelemetryStore> store,
      HistoricalContext history,
      Knowledge knowledge,
      MeterRegistry meters,
      Clock clock) {
    if (!config.enabled()) {
      return new LlmReasoning(rules, rulePlanner);
    }
    List<ProviderSettings> providers = new ArrayList<>();
    for (int i = 0; i < config.providers().size(); i++) {
      LlmProviderConfig provider = config.providers().get(i);
      String key = "";
      if (!provider.apiKeyEnv().isBlank()) {
        key = environment.get(provider.apiKeyEnv());
        if (key == null || key.isBlank()) {
          throw new ConfigException(
              "invalid configuration at 'llm.providers["
                  + i
                  + "].apiKeyEnv': environment"
                  + " variable "
                  + provider.apiKeyEnv()
                  + " is not set");
        }
      }
      providers.add(
          new ProviderSettings(
              provider.name(),
              provider.kind().equals("anthropic") ? ProviderKind.ANTHROPIC : ProviderKind.OPENAI,
              provider.baseUrl(),
              provider.model(),
              key,
              Duration.ofSeconds(provider.timeoutSeconds()),
              provider.retries(),
              provider.pricePer1kInput(),
              provider.pricePer1kOutput()));
    }
    LlmSettings settings =
        new LlmSettings(
            providers, config.maxSteps(), config.incidentBudgetUsd(), config.dailyBudgetUsd());
    ProviderChain chain =
        new ProviderChain(
            settings,
            new Toolbox(store, history, knowledge),
            new Spending(meters, clock, config.incidentBudgetUsd(), config.dailyBudgetUsd()));
    return new LlmReasoning(
        new LlmAnalyst(chain, rules, playbook.plays().keySet().stream().sorted().toList()),
        new LlmPlanner(chain, rulePlanner, policy, Estimates.from(playbook)));
  }
}
