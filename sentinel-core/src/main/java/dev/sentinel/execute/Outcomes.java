package dev.sentinel.execute;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The answers given per idempotency key, so a key repeated with the same request gets the first
 * answer without touching the platform. Only the latest {@value #KEPT} keys are kept: a workflow
 * repeats the step it crashed in, not one from long ago. For executors of platforms that have no
 * idempotency token of their own; kept in memory only. Not thread-safe: callers synchronise.
 */
public final class Outcomes {

  public static final int KEPT = 1_000;

  private record Outcome(String request, ActionResult result) {}

  private final LinkedHashMap<String, Outcome> byKey =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
          return size() > KEPT;
        }
      };

  public ActionResult once(String key, String request, Supplier<ActionResult> action) {
    Outcome first = byKey.get(key);
    if (first != null) {
      return first.request().equals(request)
          ? first.result()
          : new ActionResult.Failed(
              "idempotency key '"
                  + key
                  + "' was first used for '"
                  + first.request()
                  + "'; not performing '"
                  + request
                  + "' under it");
    }
    ActionResult result = action.get();
    byKey.put(key, new Outcome(request, result));
    return result;
  }
}
