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
import dev.sentinel.llm.Estimates;
import dev.sentinel.llm.Knowledge;
import dev.sentinel.llm.LlmAnalyst;
import dev.sentinel.llm.LlmPlanner;
import dev.sentinel.plan.OutcomeHistory;
import dev.sentinel.plan.Playbook;
import dev.sentinel.plan.RulePlanner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
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
        config, environment, rules, planner,
        ActionPolicy.allowList("simulator", Set.of("restart"), List.of("*")),
        Estimates.none(),
        null, HistoricalContext.unavailable("none"), Knowledge.defaults(),
        new SimpleMeterRegistry(), Clock.systemUTC());
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
        wire(new LlmConfig(true, List.of(groq), 8, 0.05, 2, List.of("*")),
            Map.of("GROQ_API_KEY", "k"));
    assertThat(reasoning.analyst()).isInstanceOf(LlmAnalyst.class);
    assertThat(reasoning.planner()).isInstanceOf(LlmPlanner.class);
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
