package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.analyse.RuleAnalyst;
import dev.sentinel.analyse.Signature;
import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.LlmConfig;
import dev.sentinel.app.config.LlmProviderConfig;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.llm.ActionPolicy;
import dev.sentinel.llm.Knowledge;
import dev.sentinel.llm.LlmAnalyst;
import dev.sentinel.llm.LlmPlanner;
import dev.sentinel.llm.ProviderKind;
import dev.sentinel.llm.ProviderSettings;
import dev.sentinel.llm.Spending;
import dev.sentinel.plan.OutcomeHistory;
import dev.sentinel.plan.Playbook;
import dev.sentinel.plan.RulePlanner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlmReasoningTest {

  private final RuleAnalyst rules = new RuleAnalyst(Signature.defaults());
  private final RulePlanner planner =
      new RulePlanner(Playbook.defaults(), OutcomeHistory.NONE, "simulator", "");
  private final LlmProviderConfig groq =
      new LlmProviderConfig(
          "groq", "openai", "http://127.0.0.1:1/v1", "m", "GROQ_API_KEY", 5, 0, 0.001, 0.002);

  private LlmReasoning wire(LlmConfig config, Map<String, String> environment) {
    return LlmReasoning.wire(
        config,
        environment,
        rules,
        planner,
        ActionPolicy.allowList("simulator", Set.of("restart"), List.of("*")),
        Playbook.defaults(),
        null,
        HistoricalContext.unavailable("none"),
        Knowledge.defaults(),
        new SimpleMeterRegistry(),
        Clock.systemUTC());
  }

  @Test
  void disabled_llm_leaves_the_rules_alone() {
    LlmReasoning reasoning = wire(LlmConfig.defaults(), Map.of());
    assertThat(reasoning.analyst()).isSameAs(rules);
    assertThat(reasoning.planner()).isSameAs(planner);
  }

  @Test
  void enabled_llm_puts_the_chain_in_front_of_the_rules() {
    LlmReasoning reasoning =
        wire(
            new LlmConfig(true, List.of(groq), 8, 0.05, 2, List.of("*")),
            Map.of("GROQ_API_KEY", "k"));
    assertThat(reasoning.analyst()).isInstanceOf(LlmAnalyst.class);
    assertThat(reasoning.planner()).isInstanceOf(LlmPlanner.class);
  }

  @Test
  void spending_is_scraped_under_the_documented_names() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Spending spending = new Spending(prometheus, Clock.systemUTC(), 1, 1);
    ProviderSettings provider =
        new ProviderSettings(
            "groq", ProviderKind.OPENAI, "http://x/v1", "m", "", Duration.ofSeconds(1), 0, 1, 2);
    spending.record(provider, "inc-1", 1000, 500, Duration.ofMillis(20));
    spending.task("incident-analyst", true, spending.incident("inc-1"));
    spending.failure("groq", "invalid");

    assertThat(prometheus.scrape())
        .contains("sentinel_llm_tokens_total{direction=\"input\",provider=\"groq\"} 1000")
        .contains("sentinel_llm_cost_usd_total{provider=\"groq\"} 2.0")
        .contains("sentinel_llm_latency_seconds_count{provider=\"groq\"} 1")
        .contains("sentinel_llm_daily_spent_usd 2.0")
        .contains("sentinel_llm_tasks_total{by=\"llm\",role=\"incident-analyst\"} 1")
        .contains("sentinel_llm_task_cost_usd_sum{role=\"incident-analyst\"} 2.0")
        .contains("sentinel_llm_failures_total{provider=\"groq\",reason=\"invalid\"} 1");
  }

  @Test
  void a_named_but_unset_key_variable_fails_the_start() {
    assertThatThrownBy(
            () -> wire(new LlmConfig(true, List.of(groq), 8, 0.05, 2, List.of("*")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("llm.providers[0].apiKeyEnv")
        .hasMessageContaining("GROQ_API_KEY is not set");
  }
}
