package dev.sentinel.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.llm.ScriptedServer.Protocol;
import dev.sentinel.llm.ScriptedServer.Reply;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.OutcomeHistory;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.plan.Playbook;
import dev.sentinel.plan.Risk;
import dev.sentinel.plan.RulePlanner;
import dev.sentinel.plan.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlmPlannerTest {

  private static final ActionPolicy POLICY =
      ActionPolicy.allowList(
          "simulator", Set.of("restart", "scale", "rollback"), List.of("simulator:api"));

  private final Spending spending = Fixtures.spending(new SimpleMeterRegistry(), 1, 10);
  private final CaseFile file = Fixtures.leak("inc-plan");
  private final Analysis analysis = Fixtures.rules().analyse(file);

  private static String step(String resource, String operation, int downtime, String radius) {
    return "{\"platform\": \"simulator\", \"scope\": \"\", \"resource\": \""
        + resource
        + "\","
        + " \"operation\": \""
        + operation
        + "\", \"parameters\": {\"replicas\": 6},"
        + " \"downtimeSeconds\": "
        + downtime
        + ", \"blastRadius\": \""
        + radius
        + "\","
        + " \"rationale\": \"memory leak: a restart frees it\"}";
  }

  private static String plan(String... steps) {
    return "{\"summary\": \"restart api\", \"steps\": [" + String.join(", ", steps) + "]}";
  }

  private LlmPlanner planner(ScriptedServer server, Estimates estimates) {
    return new LlmPlanner(
        Fixtures.chain(
            spending,
            6,
            Fixtures.provider("groq", ProviderKind.OPENAI, server, Duration.ofSeconds(10), 0)),
        Fixtures.rulePlanner(),
        POLICY,
        estimates);
  }

  private LlmPlanner planner(ScriptedServer server) {
    return planner(server, Estimates.none());
  }

  @Test
  void model_cannot_estimate_a_step_below_what_the_playbook_knows() throws Exception {
    Playbook playbook =
        new Playbook(
            Map.of(
                "memory-leak",
                List.of(new Playbook.Play("restart", Map.of(), 120, BlastRadius.SERVICE))),
            List.of());
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI, Reply.text(plan(step("api", "restart", 0, "INSTANCE"))))) {
      PlanStep step =
          planner(groq, Estimates.from(playbook)).plan(file, analysis).steps().getFirst();

      assertThat(step.estimatedDowntimeSeconds()).isEqualTo(120);
      assertThat(step.blastRadius()).isEqualTo(BlastRadius.SERVICE);
      assertThat(step.risk()).isEqualTo(Risk.MEDIUM);
      assertThat(step.rationale()).contains("the model estimated 0 s and INSTANCE");
    }
  }

  @Test
  void allowed_plan_becomes_an_ordinary_plan_with_risk_from_downtime_and_radius() throws Exception {
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI, Reply.text(plan(step("api", "restart", 90, "SERVICE"))))) {
      Plan plan = planner(groq).plan(file, analysis);

      assertThat(plan.steps()).hasSize(1);
      PlanStep step = plan.steps().getFirst();
      assertThat(step.action())
          .isEqualTo(
              new Action(new Target("simulator", "", "api"), "restart", Map.of("replicas", "6")));
      // 90 s of downtime is medium risk whatever the model thinks: the approval policy decides.
      assertThat(step.risk()).isEqualTo(Risk.MEDIUM);
      assertThat(plan.summary()).contains("planned by llm:groq/scripted-model");
      assertThat(groq.requests().getFirst()).contains("operations [restart, rollback, scale]");
      LlmAnalystTest.record("OpenAI chat completions, plan, 1 call", groq);
    }
  }

  @Test
  void plan_for_a_target_outside_the_whitelist_is_refused_then_rules_plan() throws Exception {
    try (ScriptedServer groq =
        new ScriptedServer(
            Protocol.OPENAI,
            Reply.text(plan(step("postgres", "restart", 30, "DEPENDENTS"))),
            Reply.text(plan(step("api", "delete-namespace", 0, "INSTANCE"))))) {
      Plan plan = planner(groq).plan(file, analysis);

      assertThat(groq.requests()).hasSize(2);
      assertThat(groq.requests().get(1))
          .contains("steps[0] refused: target simulator:postgres is not whitelisted");
      assertThat(plan.summary())
          .contains("LLM not used")
          .contains("operation delete-namespace is not supported");
      // The rules' plan: the playbook's restart of the affected service.
      assertThat(plan.steps())
          .extracting(s -> s.action().describe())
          .containsExactly("restart simulator:api");
    }
  }

  @Test
  void whitelist_refuses_other_platforms_operations_and_targets() {
    assertThat(POLICY.refusal(new Action(new Target("simulator", "", "api"), "scale", Map.of())))
        .isNull();
    assertThat(
            POLICY.refusal(new Action(new Target("kubernetes", "prod", "api"), "scale", Map.of())))
        .contains("platform kubernetes has no executor");
    assertThat(POLICY.refusal(new Action(new Target("simulator", "", "api"), "shell", Map.of())))
        .contains("operation shell is not supported");
    assertThat(POLICY.refusal(new Action(new Target("simulator", "", "db"), "restart", Map.of())))
        .contains("not whitelisted");
  }

  @Test
  void targets_are_named_as_the_rules_name_them() {
    RulePlanner kubernetes =
        new RulePlanner(
            Playbook.defaults(), OutcomeHistory.NONE, "kubernetes", "shop", "deployment/{service}");
    LlmPlanner planner =
        new LlmPlanner(Fixtures.chain(spending, 6), kubernetes, POLICY, Estimates.none());

    assertThat(planner.target("kubernetes", "api"))
        .isEqualTo(new Target("kubernetes", "shop", "deployment/api"));
  }
}
