package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import dev.sentinel.verify.Recovery;
import dev.sentinel.workflow.CaseState;
import dev.sentinel.workflow.StepOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the console reads of a plan's steps: each one taken, as the saga left it. */
class WorkflowViewTest {

  private static final Target API = new Target("simulator", "", "api");
  private static final PriorState PRIOR = new PriorState(API, Map.of("replicas", "3"));

  @Test
  void the_incident_view_lists_each_step_taken_with_its_recovery_and_rollback() throws Exception {
    StepOutcome first =
        new StepOutcome(
            1,
            3,
            new Action(API, "scale", Map.of("replicas", "5")),
            PRIOR,
            new ActionResult.Applied("scaled api to 5", Map.of()),
            Recovery.UNCHANGED,
            new ActionResult.Applied("restored", Map.of()),
            true);
    StepOutcome second =
        new StepOutcome(
            2,
            3,
            new Action(API, "scale", Map.of("replicas", "1")),
            PRIOR,
            new ActionResult.Applied("scaled api to 1", Map.of()),
            Recovery.WORSE,
            new ActionResult.Failed("no executor"),
            false);
    CaseState state =
        new CaseState(
            "inc-1",
            1,
            1,
            null,
            null,
            null,
            null,
            null,
            0,
            null,
            List.of(first, second),
            List.of(),
            null,
            null);

    JsonNode steps = new ObjectMapper().valueToTree(Views.WorkflowView.of(state)).get("steps");

    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).get("number").asInt()).isEqualTo(1);
    assertThat(steps.get(0).get("of").asInt()).isEqualTo(3);
    assertThat(steps.get(0).get("action").asText()).isEqualTo("scale simulator:api {replicas=5}");
    assertThat(steps.get(0).get("result").asText()).isEqualTo("applied");
    assertThat(steps.get(0).get("recovery").asText()).isEqualTo("unchanged");
    assertThat(steps.get(0).get("rollback").asText()).isEqualTo("verified");
    assertThat(steps.get(1).get("recovery").asText()).isEqualTo("worse");
    assertThat(steps.get(1).get("rollback").asText()).isEqualTo("unverified");
  }
}
