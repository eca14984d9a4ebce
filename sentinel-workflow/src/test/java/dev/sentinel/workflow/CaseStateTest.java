package dev.sentinel.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.plan.Target;
import dev.sentinel.verify.Recovery;
import dev.sentinel.verify.RecoveryReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseStateTest {

  private final CaseCodec codec = new CaseCodec();
  private final Target api = new Target("simulator", "", "api");
  private final Plan plan =
      new Plan(
          List.of(
              PlanStep.of(
                  new Action(api, "scale", Map.of("replicas", "5")), 0, BlastRadius.SERVICE, "a"),
              PlanStep.of(new Action(api, "restart", Map.of()), 5, BlastRadius.SERVICE, "b")),
          "two steps");
  private final PriorState prior = new PriorState(api, Map.of("replicas", "3"));

  /** A checkpoint as the code before sagas wrote it, after its execute node: no steps key. */
  private Map<String, Object> checkpointOfTheSingleStepCode() {
    Map<String, Object> data = new HashMap<>(CaseState.initial("inc-1", 1));
    data.put(CaseState.PLAN, codec.write(plan));
    data.put(CaseState.PRIOR, codec.write(prior));
    data.put(CaseState.RESULT, codec.write(new ActionResult.Applied("scaled", Map.of())));
    return data;
  }

  @Test
  void a_checkpoint_written_before_sagas_reads_as_its_first_step_taken() {
    CaseState state = CaseState.of(checkpointOfTheSingleStepCode(), codec);

    assertThat(state.steps()).hasSize(1);
    StepOutcome first = state.currentStep();
    assertThat(first.number()).isEqualTo(1);
    assertThat(first.of()).isEqualTo(2);
    assertThat(first.action().operation()).isEqualTo("scale");
    assertThat(first.prior()).isEqualTo(prior);
    assertThat(first.awaitsRollback()).isTrue();
    assertThat(Compensation.toRollBack(state)).contains(first);
  }

  @Test
  void a_checkpoint_written_before_sagas_after_its_verification_carries_the_recovery() {
    Map<String, Object> data = checkpointOfTheSingleStepCode();
    data.put(
        CaseState.REPORT, codec.write(new RecoveryReport(Recovery.WORSE, "worse", 1, 4, 1.0, 3.0)));

    assertThat(CaseState.of(data, codec).currentStep().recovery()).isEqualTo(Recovery.WORSE);
  }

  @Test
  void the_steps_survive_the_checkpoint_encoding_with_their_outcomes() {
    StepOutcome taken =
        StepOutcome.taken(
                2, 3, plan.steps().get(1).action(), prior, new ActionResult.Failed("not ready"))
            .rolledBack(new ActionResult.Applied("restored", Map.of()), true);
    Map<String, Object> data = new HashMap<>(CaseState.initial("inc-1", 1));
    data.putAll(new Update(codec).steps(List.of(taken)).values());

    assertThat(CaseState.of(data, codec).steps()).containsExactly(taken);
  }

  @Test
  void a_new_round_starts_with_no_step_taken_even_when_an_old_result_is_left() {
    Map<String, Object> data = checkpointOfTheSingleStepCode();
    data.putAll(new Update(codec).steps(List.of()).values());

    assertThat(CaseState.of(data, codec).steps()).isEmpty();
    assertThat(CaseState.of(data, codec).hasNextStep()).isTrue();
  }
}
