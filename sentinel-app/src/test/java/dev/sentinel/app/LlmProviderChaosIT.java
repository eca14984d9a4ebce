package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.FaultyModelServer.Fault;
import dev.sentinel.app.FaultyModelServer.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: the packaged {@code sentinel run --demo} with its LLM chain pointed at two local model
 * providers that misbehave in turn. An Ollama-style OpenAI-compatible endpoint first hangs past its
 * timeout, then answers broken JSON, then JSON off the schema, then dies and refuses connections;
 * an Anthropic endpoint behind it sends its headers and stalls the body past the timeout, then
 * answers a body that is not JSON, then off-schema JSON and prose, then dies too. (The late answers
 * are valid: a call that waited for them would let a model answer.) The incident must still be
 * analysed and planned by the rules at the end of the chain, worked to a settled state, and the
 * fallbacks must be on its audit trail.
 */
class LlmProviderChaosIT {

  private static final String ADMIN = "snt_llm_chaos_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(240);
  private static final int TIMEOUT_SECONDS = 2;

  /** Far beyond the timeout: an analysis that waited for it would show it. */
  private static final Duration HANG = Duration.ofSeconds(120);

  private static final Set<String> SETTLED = Set.of("resolved", "escalated", "awaiting_approval");

  @TempDir Path dataDir;

  private static String provider(String name, String kind, String baseUrl, int retries) {
    return "    - {name: "
        + name
        + ", kind: "
        + kind
        + ", baseUrl: '"
        + baseUrl
        + "/', model: chaos, apiKeyEnv: '', timeoutSeconds: "
        + TIMEOUT_SECONDS
        + ", retries: "
        + retries
        + ", pricePer1kInput: 0, pricePer1kOutput: 0}\n";
  }

  @Test
  void a_provider_that_times_out_then_answers_garbage_then_is_down_ends_in_the_rules()
      throws Exception {
    try (FaultyModelServer ollama =
            new FaultyModelServer(
                Protocol.OPENAI,
                new Fault.Hang(HANG),
                new Fault.Says("{\"summary\": \"checkout is failing\", \"hypotheses\": [{\"cau"),
                new Fault.Says(
                    "{\"summary\": \"s\", \"hypotheses\": [{\"cause\": \"bad-deploy\","
                        + " \"service\": \"checkout\", \"confidence\": 7, \"evidence\": []}]}"),
                Fault.DOWN);
        FaultyModelServer claude =
            new FaultyModelServer(
                Protocol.ANTHROPIC,
                new Fault.StallsBody(HANG),
                new Fault.BrokenBody("{\"id\": \"msg_1\", \"type\": \"mess"),
                new Fault.Says("{\"summary\": \"s\", \"hypotheses\": \"none\"}"),
                new Fault.Says("I think the checkout service is unwell."),
                Fault.DOWN)) {
      Path config = dataDir.resolve("sentinel.yaml");
      Files.writeString(
          config,
          "llm:\n  enabled: true\n  maxSteps: 4\n  allowedTargets: ['simulator:*']\n"
              + "  providers:\n"
              + provider("ollama", "openai", ollama.baseUrl(), 1)
              + provider("claude", "anthropic", claude.baseUrl(), 2));
      Map<String, String> environment =
          Map.of(
              "SENTINEL_ADMIN_KEY", ADMIN,
              "SENTINEL_DEMO_AUTO_FAULTS", "false",
              "SENTINEL_DEMO_BACKFILL_HOURS", "6",
              "SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8");
      try (SentinelProcess sentinel =
          SentinelProcess.start(
              environment,
              "run",
              "--demo",
              "--port",
              "0",
              "--data-dir",
              dataDir.toString(),
              "--config",
              config.toString())) {
        SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(90)), ADMIN);
        api.injectFault("error_burst", "checkout");
        String id = api.awaitIncident("checkout", PATIENCE);

        // Nothing lost: the case reaches a state where it needs no more from the workflow.
        JsonNode settled =
            api.await(
                "/api/v1/incidents/" + id,
                body -> SETTLED.contains(body.at("/incident/status").asText()),
                PATIENCE);
        String status = settled.at("/incident/status").asText();

        JsonNode analysed = entry(api, id, "analysis.completed");
        JsonNode planned = entry(api, id, "plan.proposed");
        JsonNode last = lastEntry(api, id);
        // The rules answered both tasks, and the trail says why the models did not.
        assertThat(settled.at("/workflow/analysis/analyst").asText()).doesNotStartWith("llm:");
        assertThat(settled.at("/workflow/analysis/summary").asText())
            .contains("[LLM not used: ")
            .contains("ollama: ")
            .contains("claude: ");
        assertThat(analysed.toString()).contains("LLM not used");
        assertThat(planned.toString()).contains("LLM not used");

        // Each provider was asked exactly as often as its bounds allow, and no more. ollama: the
        // hang, its one retry (broken JSON), the corrective call (off the schema), then the plan's
        // call that took it down. claude (two retries): the stall, the unreadable body, the
        // off-schema answer, the corrective call (prose), then the plan's call that took it down.
        // Every later attempt was refused at the port.
        assertThat(ollama.received()).hasSize(4);
        assertThat(claude.received()).hasSize(5);
        String metrics = api.getText("/metrics");
        assertThat(metrics)
            .containsPattern("sentinel_llm_tasks_total\\{by=\"rules\",role=\"incident-analyst\"} 1")
            .doesNotContain("sentinel_llm_tasks_total{by=\"llm\"");
        for (String provider : List.of("ollama", "claude")) {
          // The analysis: two invalid answers; the plan: the drop, then a refused connection.
          assertThat(metrics)
              .containsPattern(
                  "sentinel_llm_failures_total\\{provider=\""
                      + provider
                      + "\",reason=\"invalid\"} 1")
              .containsPattern(
                  "sentinel_llm_failures_total\\{provider=\""
                      + provider
                      + "\",reason=\"failed\"} 1");
        }

        // No step threw out of the workflow, and no lease ran out under a stalled worker.
        assertThat(sentinel.log())
            .doesNotContain("workflow step of incident " + id + " failed")
            .doesNotContain("the lease on its workflow was lost");

        long fault = ollama.received().getFirst().atMillis();
        long analysedAt = analysed.get("timestampMillis").asLong();
        long plannedAt = planned.get("timestampMillis").asLong();
        long settledAt = last.get("timestampMillis").asLong();
        // The hang lasts two minutes: an analysis that waited for it would come after that.
        assertThat(analysedAt - fault).isLessThan(HANG.toMillis() / 2);
        System.out.printf(
            "CHAOS llm: lost %d of 1 incident (final %s); fault -> rules analysis %d ms,"
                + " -> rules plan %d ms, -> %s %d ms; calls received ollama=%d claude=%d"
                + " (timeout %d s; retries 1 and 2)%n",
            SETTLED.contains(status) ? 0 : 1,
            status,
            analysedAt - fault,
            plannedAt - fault,
            last.get("action").asText(),
            settledAt - fault,
            ollama.received().size(),
            claude.received().size(),
            TIMEOUT_SECONDS);
      }
    }
  }

  private static JsonNode entry(SentinelApi api, String id, String action) throws Exception {
    return api.await(
            "/api/v1/audit?incident=" + id + "&action=" + action,
            body -> body.get("count").asInt() > 0,
            PATIENCE)
        .at("/entries/0");
  }

  /** The newest entry on the incident's trail: the state the case settled in. */
  private static JsonNode lastEntry(SentinelApi api, String id) throws Exception {
    JsonNode newest = null;
    for (JsonNode entry :
        api.get("/api/v1/audit?incident=" + id + "&limit=1000").body().get("entries")) {
      if (newest == null
          || entry.get("timestampMillis").asLong() >= newest.get("timestampMillis").asLong()) {
        newest = entry;
      }
    }
    return newest;
  }
}
