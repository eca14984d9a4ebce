package dev.sentinel.simulator;

import dev.sentinel.execute.ActionResult;
import java.util.Objects;

/**
 * What the executor answered the first time it was asked under an idempotency key: kept, and saved
 * with the fleet, so that a repeat of the request gets the same answer without acting again.
 *
 * @param key the idempotency key
 * @param request the request it came with, in a short human form, to catch a key reused for a
 *     different request
 * @param result the answer
 */
public record KeyedOutcome(String key, String request, ActionResult result) {

  public KeyedOutcome {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(result, "result");
  }
}
