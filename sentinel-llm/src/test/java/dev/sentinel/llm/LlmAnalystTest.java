package dev.sentinel.llm;

import static dev.sentinel.llm.Fixtures.LEAK_ANSWER;
import static dev.sentinel.llm.Fixtures.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.analyse.Analysis;
import dev.sentinel.llm.ScriptedServer.Protocol;
import dev.sentinel.llm.ScriptedServer.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmAnalystTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Spending spending = Fixtures.spending(meters, 1, 10);

  @Test
  void openai_model_calls_tools_over_several_steps_then_answers() throws Exception {
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI,
            Reply.tools("incident_series", "{}"),
            Reply.tools(
                "series_baseline", Fixtures.json("series", MEMORY.text()), "target_state", "{}"),
            Reply.text(LEAK_ANSWER))) {
      LlmAnalyst analyst =
          new LlmAnalyst(
              Fixtures.chain(
                  spending,
                  6,
                  Fixtures.provider("groq", ProviderKind.OPENAI, groq, Duration.ofSeconds(10), 0)),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-openai"));

      assertThat(analysis.analyst()).isEqualTo("llm:groq/scripted-model");
      assertThat(analysis.likeliest().orElseThrow().cause()).isEqualTo("memory-leak");
      assertThat(analysis.likeliest().orElseThrow().evidence()).hasSize(2);
      assertThat(analysis.summary()).contains("llm:groq/scripted-model: 3 calls");
      List<String> requests = groq.requests();
      assertThat(requests).hasSize(3);
      JsonNode first = Fixtures.JSON.readTree(requests.get(0));
      assertThat(first.path("tools")).hasSize(7);
      assertThat(first.path("messages").get(1).path("content").asText()).contains("<data>");
      // The third request carries both observations of the second step, answered by call id.
      JsonNode messages = Fixtures.JSON.readTree(requests.get(2)).path("messages");
      List<JsonNode> observations =
          messages.valueStream().filter(m -> m.path("role").asText().equals("tool")).toList();
      assertThat(observations).hasSize(3);
      assertThat(observations.get(0).path("content").asText()).contains("moved first to last");
      assertThat(observations.get(1).path("content").asText())
          .contains("unusual")
          .contains("Monday 09:00 UTC");
      assertThat(observations.get(2).path("content").asText()).contains("version=1.4.2");
      assertBooked(groq, "groq", "inc-openai");
      record("OpenAI chat completions, 3 calls (2 tool rounds + answer)", groq);
    }
  }

  @Test
  void anthropic_model_uses_tool_use_blocks_then_answers() throws Exception {
    try (ScriptedServer claude =
        new ScriptedServer(
            Protocol.ANTHROPIC,
            Reply.tools("incident_series", "{}"),
            Reply.tools("series_baseline", Fixtures.json("series", MEMORY.text())),
            Reply.text(LEAK_ANSWER))) {
      LlmAnalyst analyst =
          new LlmAnalyst(
              Fixtures.chain(
                  spending,
                  6,
                  Fixtures.provider(
                      "claude", ProviderKind.ANTHROPIC, claude, Duration.ofSeconds(10), 0)),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-anthropic"));

      assertThat(analysis.analyst()).isEqualTo("llm:claude/scripted-model");
      assertThat(analysis.hypotheses()).extracting(h -> h.cause()).containsExactly("memory-leak");
      JsonNode last = Fixtures.JSON.readTree(claude.requests().get(2));
      assertThat(last.path("system").toString()).contains("untrusted");
      List<JsonNode> results =
          last.path("messages")
              .valueStream()
              .flatMap(m -> m.path("content").valueStream())
              .filter(block -> block.path("type").asText().equals("tool_result"))
              .toList();
      assertThat(results).hasSize(2);
      assertThat(results.get(1).toString()).contains("unusual");
      assertBooked(claude, "claude", "inc-anthropic");
      record("Anthropic messages, 3 calls (2 tool rounds + answer)", claude);
    }
  }

  @Test
  void invalid_answer_is_returned_once_with_the_reason_then_rules_take_over() throws Exception {
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI,
            Reply.text(
                "{\"summary\": \"leak\", \"hypotheses\": [{\"cause\": \"memory-leak\","
                    + " \"service\": \"api\", \"confidence\": 1.7, \"evidence\": [\"x\"]}]}"),
            Reply.text("I think it is a leak."))) {
      LlmAnalyst analyst =
          new LlmAnalyst(
              Fixtures.chain(
                  spending,
                  6,
                  Fixtures.provider("groq", ProviderKind.OPENAI, groq, Duration.ofSeconds(10), 0)),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-invalid"));

      assertThat(analysis.analyst()).isEqualTo("rules");
      assertThat(analysis.summary()).contains("LLM not used").contains("no JSON object");
      assertThat(
              meters
                  .counter("sentinel.llm.tasks", "role", "incident-analyst", "by", "rules")
                  .count())
          .isEqualTo(1);
      assertThat(
              meters
                  .summary("sentinel.llm.task.cost.usd", "role", "incident-analyst")
                  .totalAmount())
          .isEqualTo(spending.incident("inc-invalid").costUsd());
      assertThat(groq.requests()).hasSize(2);
      assertThat(groq.requests().get(1))
          .contains("Your answer was rejected: hypotheses[0].confidence must be a number in [0,1]");
      assertThat(
              meters
                  .counter("sentinel.llm.failures", "provider", "groq", "reason", "invalid")
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void corrected_answer_is_accepted() throws Exception {
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI,
            Reply.text(
                "{\"summary\": \"leak\", \"hypotheses\": [{\"cause\": \"memory-leak\","
                    + " \"service\": \"api\", \"confidence\": 0.8, \"evidence\": []}]}"),
            Reply.text("```json\n" + LEAK_ANSWER + "\n```"))) {
      LlmAnalyst analyst =
          new LlmAnalyst(
              Fixtures.chain(
                  spending,
                  6,
                  Fixtures.provider("groq", ProviderKind.OPENAI, groq, Duration.ofSeconds(10), 0)),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-corrected"));

      assertThat(analysis.analyst()).isEqualTo("llm:groq/scripted-model");
      assertThat(groq.requests().get(1)).contains("evidence must cite at least one fact");
    }
  }

  @Test
  void provider_that_sends_its_headers_then_stalls_is_abandoned_and_the_next_answers()
      throws Exception {
    // The stalled answer is valid and comes in the end: only a call abandoned at the provider's
    // timeout leaves the analysis to claude.
    try (ScriptedServer stalling =
            new ScriptedServer(Protocol.OPENAI, Reply.text(LEAK_ANSWER).stallingBody(20_000));
        ScriptedServer claude = new ScriptedServer(Protocol.ANTHROPIC, Reply.text(LEAK_ANSWER))) {
      LlmAnalyst analyst =
          new LlmAnalyst(
              Fixtures.chain(
                  spending,
                  6,
                  Fixtures.provider(
                      "groq", ProviderKind.OPENAI, stalling, Duration.ofMillis(500), 0),
                  Fixtures.provider(
                      "claude", ProviderKind.ANTHROPIC, claude, Duration.ofSeconds(10), 0)),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-stalled"));

      assertThat(analysis.analyst()).isEqualTo("llm:claude/scripted-model");
      assertThat(stalling.requests()).hasSize(1);
      assertThat(
              meters
                  .counter("sentinel.llm.failures", "provider", "groq", "reason", "failed")
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void provider_that_times_out_is_retried_then_the_next_in_the_chain_answers() throws Exception {
    try (ScriptedServer slow =
            new ScriptedServer(
                Protocol.OPENAI,
                Reply.text(LEAK_ANSWER).delayed(3_000),
                Reply.text(LEAK_ANSWER).delayed(3_000));
        ScriptedServer claude = new ScriptedServer(Protocol.ANTHROPIC, Reply.text(LEAK_ANSWER))) {
      LlmAnalyst analyst =
          new LlmAnalyst(
              Fixtures.chain(
                  spending,
                  6,
                  Fixtures.provider("groq", ProviderKind.OPENAI, slow, Duration.ofMillis(300), 1),
                  Fixtures.provider(
                      "claude", ProviderKind.ANTHROPIC, claude, Duration.ofSeconds(10), 0)),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-timeout"));

      assertThat(analysis.analyst()).isEqualTo("llm:claude/scripted-model");
      assertThat(slow.requests()).hasSize(2);
      assertThat(spending.provider("groq").calls()).isZero();
      assertThat(
              meters
                  .counter("sentinel.llm.failures", "provider", "groq", "reason", "failed")
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void spent_budgets_switch_to_rules() throws Exception {
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI, Reply.tools("incident_series", "{}"), Reply.text(LEAK_ANSWER))) {
      // The first call costs more than the incident may spend: the second is never made.
      LlmSettings settings =
          new LlmSettings(
              List.of(
                  Fixtures.provider("groq", ProviderKind.OPENAI, groq, Duration.ofSeconds(10), 0)),
              6,
              0.0001,
              0.0005);
      Spending tight = Fixtures.spending(new SimpleMeterRegistry(), 0.0001, 0.0005);
      LlmAnalyst analyst =
          new LlmAnalyst(
              new ProviderChain(
                  settings,
                  new Toolbox(java.util.Optional.empty(), Fixtures.history(), Knowledge.defaults()),
                  tight),
              Fixtures.rules());

      Analysis analysis = analyst.analyse(Fixtures.leak("inc-budget"));

      assertThat(analysis.analyst()).isEqualTo("rules");
      assertThat(analysis.summary()).contains("incident LLM budget spent");
      assertThat(groq.requests()).hasSize(1);

      // The day's budget is spent too: the next incident goes to the rules without a call.
      Spending.Tally before = tight.provider("groq");
      Analysis next = analyst.analyse(Fixtures.leak("inc-budget-2"));
      assertThat(next.analyst()).isEqualTo("rules");
      assertThat(next.summary()).contains("daily LLM budget spent");
      assertThat(groq.requests()).hasSize(1);
      assertThat(tight.provider("groq")).isEqualTo(before);
    }
  }

  private void assertBooked(ScriptedServer server, String provider, String incident) {
    long input = server.usages().stream().mapToLong(ScriptedServer.Usage::inputTokens).sum();
    long output = server.usages().stream().mapToLong(ScriptedServer.Usage::outputTokens).sum();
    assertThat(spending.incident(incident).inputTokens()).isEqualTo(input);
    assertThat(spending.incident(incident).outputTokens()).isEqualTo(output);
    assertThat(
            meters
                .counter("sentinel.llm.tokens", "provider", provider, "direction", "input")
                .count())
        .isEqualTo(input);
    assertThat(meters.timer("sentinel.llm.latency", "provider", provider).count()).isEqualTo(3);
    assertThat(spending.incident(incident).costUsd())
        .isCloseTo(
            input * 0.00059 / 1000 + output * 0.00079 / 1000,
            org.assertj.core.api.Assertions.within(1e-12));
  }

  /** Appends the scripted conversation's token counts to a report the docs quote. */
  static void record(String label, ScriptedServer server) throws Exception {
    StringBuilder line = new StringBuilder("scripted conversation, " + label + ":");
    long input = 0;
    long output = 0;
    for (ScriptedServer.Usage usage : server.usages()) {
      line.append(" [")
          .append(usage.inputTokens())
          .append(" in / ")
          .append(usage.outputTokens())
          .append(" out]");
      input += usage.inputTokens();
      output += usage.outputTokens();
    }
    line.append(" total ").append(input).append(" in / ").append(output).append(" out\n");
    Path report = Path.of("target", "llm-scripted-token-counts.txt");
    Files.createDirectories(report.getParent());
    Files.writeString(report, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.print(line);
  }
}
