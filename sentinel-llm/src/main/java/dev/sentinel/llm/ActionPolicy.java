package dev.sentinel.llm;

import dev.sentinel.analyse.Glob;
import dev.sentinel.plan.Action;
import java.util.List;
import java.util.Set;

/**
 * What a model may propose: the caller's executors and whitelist, never the model, decide. A plan
 * with a refused step is sent back to the model once with the reason, then replaced by the rules.
 */
public interface ActionPolicy {

  /** Why the action may not be proposed, or {@code null} when it may. */
  String refusal(Action action);

  /** What may be proposed, in words for the prompt (the check itself is {@link #refusal}). */
  default String describe() {
    return "only steps the operators allow";
  }

  /**
   * Operations an executor of {@code platform} supports, on targets whose path ({@code
   * platform:scope/resource}) matches one of {@code targetGlobs}.
   */
  static ActionPolicy allowList(String platform, Set<String> operations, List<String> targetGlobs) {
    Set<String> allowedOperations = Set.copyOf(operations);
    List<String> globs = List.copyOf(targetGlobs);
    return new ActionPolicy() {
      @Override
      public String refusal(Action action) {
        if (!action.target().platform().equals(platform)) {
          return "platform " + action.target().platform() + " has no executor; only " + platform;
        }
        if (!allowedOperations.contains(action.operation())) {
          return "operation "
              + action.operation()
              + " is not supported; allowed: "
              + allowedOperations.stream().sorted().toList();
        }
        String path = action.target().path();
        if (globs.stream().noneMatch(glob -> Glob.matches(glob, path))) {
          return "target " + path + " is not whitelisted (" + globs + ")";
        }
        return null;
      }

      @Override
      public String describe() {
        return "platform "
            + platform
            + ", operations "
            + allowedOperations.stream().sorted().toList()
            + ", targets matching "
            + globs;
      }
    };
  }
}
