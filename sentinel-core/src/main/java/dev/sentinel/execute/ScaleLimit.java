package dev.sentinel.execute;

import dev.sentinel.plan.Action;
import java.util.Optional;

/**
 * Holds a scale to the {@link ActionLimits}. A scale is any action with a {@code replicas}
 * (absolute) or {@code delta} (relative, {@code +3} or {@code -1}) parameter; the current count is
 * the captured prior state's {@code replicas}.
 */
final class ScaleLimit {

  private final ActionLimits limits;

  ScaleLimit(ActionLimits limits) {
    this.limits = limits;
  }

  /** Why the action goes beyond the limits, or empty when it does not (or is no scale). */
  Optional<String> exceeded(Action action, PriorState prior) {
    String absolute = action.parameter("replicas");
    String delta = action.parameter("delta");
    if (absolute == null && delta == null) {
      return Optional.empty();
    }
    Integer current = whole(prior.get("replicas"));
    Integer asked = whole(absolute != null ? absolute : delta.replace("+", ""));
    if (asked == null) {
      return Optional.of(
          "the scale parameter '"
              + (absolute != null ? absolute : delta)
              + "' is not a whole number");
    }
    if (current == null) {
      // Without the current count the factor cannot be judged: refuse rather than guess.
      return Optional.of(
          "the replica count of "
              + prior.target()
              + " is unknown, so the scale limits cannot be checked");
    }
    int target = absolute != null ? asked : current + asked;
    String move = "scaling " + prior.target() + " from " + current + " to " + target + " replicas";
    if (target > limits.maxReplicas()) {
      return Optional.of(
          move
              + " is above the limit of "
              + limits.maxReplicas()
              + " (remediation.safety.limits.maxReplicas)");
    }
    if (target < limits.minReplicas()) {
      return Optional.of(
          move
              + " is below the limit of "
              + limits.minReplicas()
              + " (remediation.safety.limits.minReplicas)");
    }
    double factor = (double) Math.max(target, current) / Math.max(1, Math.min(target, current));
    if (factor > limits.maxScaleFactor()) {
      return Optional.of(
          move
              + " changes it by a factor of "
              + String.format(java.util.Locale.ROOT, "%.1f", factor)
              + ", above the limit of "
              + limits.maxScaleFactor()
              + " (remediation.safety.limits.maxScaleFactor)");
    }
    return Optional.empty();
  }

  private static Integer whole(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
