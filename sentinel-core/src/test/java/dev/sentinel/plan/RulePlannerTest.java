package dev.sentinel.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.analyse.Hypothesis;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulePlannerTest {

  private static final Playbook PLAYBOOK =
      new Playbook(
          Map.of(
              "memory-leak",
              List.of(
                  new Playbook.Play("restart", Map.of(), 5, BlastRadius.SERVICE),
                  new Playbook.Play("scale", Map.of("delta", "+1"), 0, BlastRadius.SERVICE))),
          List.of("db"));

  private static CaseFile caseOf(String service, List<String> attempts) {
    Incident incident =
        new Incident(
            "inc-1",
            "service=" + service,
            Map.of("service", service),
            IncidentStatus.OPEN,
            Severity.HIGH,
            0,
            0,
            0,
            0,
            5,
            0.9,
            Set.of(),
            List.of(),
            null);
    return new CaseFile(incident, List.of(), Map.of(), attempts);
  }

  private static Analysis likely(String cause) {
    return new Analysis(
        "Most likely " + cause,
        List.of(new Hypothesis(cause, "api", 0.8, List.of())),
        null,
        "rules");
  }

  @Test
  void the_first_play_for_the_likeliest_cause_is_planned_with_its_cost_and_risk() {
    Plan plan =
        new RulePlanner(PLAYBOOK, OutcomeHistory.NONE, "kubernetes", "shop")
            .plan(caseOf("api", List.of()), likely("memory-leak"));

    PlanStep step = plan.steps().getFirst();
    assertThat(step.action().target()).isEqualTo(new Target("kubernetes", "shop", "api"));
    assertThat(step.action().operation()).isEqualTo("restart");
    assertThat(step.estimatedDowntimeSeconds()).isEqualTo(5);
    assertThat(step.risk()).isEqualTo(Risk.LOW);
    assertThat(plan.summary()).contains("risk LOW").contains("~5 s downtime");
  }

  @Test
  void the_target_is_named_from_the_service_by_the_resource_template() {
    Plan plan =
        new RulePlanner(PLAYBOOK, OutcomeHistory.NONE, "kubernetes", "shop", "deployment/{service}")
            .plan(caseOf("api", List.of()), likely("memory-leak"));

    assertThat(plan.steps().getFirst().action().target())
        .isEqualTo(new Target("kubernetes", "shop", "deployment/api"));
  }

  @Test
  void a_stateful_service_costs_its_dependents_more_downtime_and_a_wider_blast_radius() {
    PlanStep step =
        new RulePlanner(PLAYBOOK, OutcomeHistory.NONE, "simulator", "")
            .plan(caseOf("db", List.of()), likely("memory-leak"))
            .steps()
            .getFirst();

    assertThat(step.estimatedDowntimeSeconds()).isEqualTo(30);
    assertThat(step.blastRadius()).isEqualTo(BlastRadius.DEPENDENTS);
    assertThat(step.risk()).isEqualTo(Risk.MEDIUM);
    assertThat(step.rationale()).contains("db is stateful");
  }

  @Test
  void what_worked_before_comes_first() {
    OutcomeHistory scaleWorked = (cause, operation) -> operation.equals("scale") ? 3 : -1;

    PlanStep step =
        new RulePlanner(PLAYBOOK, scaleWorked, "simulator", "")
            .plan(caseOf("api", List.of()), likely("memory-leak"))
            .steps()
            .getFirst();

    assertThat(step.action().operation()).isEqualTo("scale");
    assertThat(step.rationale()).contains("resolved it 3 time(s) before");
  }

  @Test
  void a_play_this_incident_already_tried_is_not_planned_again() {
    RulePlanner planner = new RulePlanner(PLAYBOOK, OutcomeHistory.NONE, "simulator", "");

    Plan second =
        planner.plan(
            caseOf("api", List.of("restart simulator:api: unchanged")), likely("memory-leak"));
    Plan third =
        planner.plan(
            caseOf(
                "api", List.of("restart simulator:api: unchanged", "scale simulator:api: worse")),
            likely("memory-leak"));

    assertThat(second.steps())
        .extracting(step -> step.action().operation())
        .containsExactly("scale");
    assertThat(third.isEmpty()).isTrue();
    assertThat(third.summary()).contains("a human must decide");
  }

  @Test
  void no_known_cause_means_an_empty_plan_for_a_human() {
    Plan plan =
        new RulePlanner(PLAYBOOK, OutcomeHistory.NONE, "simulator", "")
            .plan(caseOf("api", List.of()), new Analysis("nothing fits", List.of(), null, "rules"));

    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void risk_grows_with_downtime_and_blast_radius() {
    assertThat(Risk.of(0, BlastRadius.INSTANCE)).isEqualTo(Risk.LOW);
    assertThat(Risk.of(59, BlastRadius.SERVICE)).isEqualTo(Risk.LOW);
    assertThat(Risk.of(60, BlastRadius.SERVICE)).isEqualTo(Risk.MEDIUM);
    assertThat(Risk.of(5, BlastRadius.DEPENDENTS)).isEqualTo(Risk.MEDIUM);
    assertThat(Risk.of(300, BlastRadius.INSTANCE)).isEqualTo(Risk.HIGH);
    assertThat(Risk.of(0, BlastRadius.PLATFORM)).isEqualTo(Risk.HIGH);
  }
}
