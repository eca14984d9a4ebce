package dev.sentinel.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {

  private static final PlanStep RESTART =
      PlanStep.of(
          new Action(new Target("simulator", "", "api"), "restart", Map.of()),
          5,
          BlastRadius.SERVICE,
          "test");

  private static Plan of(int steps) {
    return new Plan(Collections.nCopies(steps, RESTART), steps + " steps");
  }

  @Test
  void a_plan_says_how_many_steps_it_has_and_what_that_makes_it() {
    assertThat(of(0).shape()).isEqualTo(Plan.Shape.NONE);
    assertThat(of(1).shape()).isEqualTo(Plan.Shape.SINGLE);
    assertThat(of(2).shape()).isEqualTo(Plan.Shape.SAGA);
    assertThat(of(3).size()).isEqualTo(3);
  }

  @Test
  void a_plan_of_more_than_three_steps_cannot_be_made() {
    assertThatThrownBy(() -> of(Plan.MAX_STEPS + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 3 steps, was given 4");
  }

  @Test
  void the_steps_are_copied_so_the_plan_cannot_change_afterwards() {
    List<PlanStep> steps = new java.util.ArrayList<>(List.of(RESTART));
    Plan plan = new Plan(steps, "one");
    steps.add(RESTART);
    assertThat(plan.size()).isEqualTo(1);
  }
}
