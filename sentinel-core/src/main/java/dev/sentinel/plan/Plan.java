package dev.sentinel.plan;

import java.util.List;
import java.util.Objects;

/**
 * A remediation plan: the steps to take, in order, at most {@value #MAX_STEPS} of them. An empty
 * plan means Sentinel knows no safe action and a human must decide.
 *
 * <p>The workflow runs the steps as a saga: one after the other, each verified before the next, and
 * a step that fails or makes things worse rolls back every step already taken, newest first. Each
 * step after the first is taken only when the one before it left the incident unchanged: the steps
 * are a sequence (the later ones finish what the earlier ones began), and a step that already
 * recovered the incident makes the rest unneeded.
 */
public record Plan(List<PlanStep> steps, String summary) {

  /**
   * The most steps a plan holds. Each step is an action, a verification window and, if things go
   * wrong, a rollback: three keep a saga short enough to watch and to undo.
   */
  public static final int MAX_STEPS = 3;

  /** What a plan amounts to, by its number of steps. */
  public enum Shape {
    /** No step: a human decides. */
    NONE,
    /** One action, verified and, if it backfires, rolled back. */
    SINGLE,
    /** Two or three actions run as a saga. */
    SAGA;

    static Shape of(int steps) {
      return switch (steps) {
        case 0 -> NONE;
        case 1 -> SINGLE;
        default -> SAGA;
      };
    }
  }

  public Plan {
    Objects.requireNonNull(summary, "summary");
    steps = List.copyOf(steps);
    if (steps.size() > MAX_STEPS) {
      throw new IllegalArgumentException(
          "a plan holds at most " + MAX_STEPS + " steps, was given " + steps.size());
    }
  }

  /** The riskiest step decides how the plan is approved. */
  public Risk risk() {
    return steps.stream().map(PlanStep::risk).max(Enum::compareTo).orElse(Risk.LOW);
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** How many steps the plan has, 0 to {@value #MAX_STEPS}. */
  public int size() {
    return steps.size();
  }

  public Shape shape() {
    return Shape.of(steps.size());
  }
}
