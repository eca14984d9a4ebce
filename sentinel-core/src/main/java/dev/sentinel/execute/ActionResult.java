package dev.sentinel.execute;

import java.util.Map;
import java.util.Objects;

/** What became of an action. */
public sealed interface ActionResult {

  /** A one-line account for the timeline and the audit trail. */
  String summary();

  /** The action took effect; {@code after} is the target's state once it did. */
  record Applied(String summary, Map<String, String> after) implements ActionResult {
    public Applied {
      Objects.requireNonNull(summary, "summary");
      after = Map.copyOf(after);
    }
  }

  /** A safety layer stopped the action before it reached the platform. */
  record Refused(String summary) implements ActionResult {}

  /** The platform was asked and the action failed. */
  record Failed(String summary) implements ActionResult {}

  /** Dry-run: nothing was changed; {@code summary} says what would have been done. */
  record DryRun(String summary) implements ActionResult {}
}
