package dev.sentinel.execute;

import java.util.Objects;

/**
 * An action as the guard let it go: its result, and the prior state captured before it ran ({@code
 * null} when it was refused before the target was read).
 */
public record Attempt(PriorState prior, ActionResult result) {

  public Attempt {
    Objects.requireNonNull(result, "result");
  }
}
