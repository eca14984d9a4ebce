package dev.sentinel.execute;

import dev.sentinel.plan.Action;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The executors Sentinel may act through, one per platform. Built once by the composition root;
 * immutable and thread-safe.
 */
public final class ExecutorRegistry {

  private final Map<String, Executor> byPlatform;

  /**
   * @throws IllegalArgumentException when two executors claim the same platform
   */
  public ExecutorRegistry(Collection<? extends Executor> executors) {
    Map<String, Executor> platforms = new LinkedHashMap<>();
    for (Executor executor : executors) {
      Executor earlier = platforms.putIfAbsent(executor.platform(), executor);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "two executors act on platform '" + executor.platform() + "'; keep one");
      }
    }
    this.byPlatform = Map.copyOf(platforms);
  }

  public Optional<Executor> find(String platform) {
    return Optional.ofNullable(byPlatform.get(platform));
  }

  public Set<String> platforms() {
    return byPlatform.keySet();
  }

  /**
   * Why no executor can perform the action, or empty when one can: the platform has no executor, or
   * its executor does not know the operation (the reason lists the ones it knows).
   */
  public Optional<String> unsupported(Action action) {
    String platform = action.target().platform();
    Executor executor = byPlatform.get(platform);
    if (executor == null) {
      return Optional.of(
          "no executor acts on platform '"
              + platform
              + "' (configured: "
              + (byPlatform.isEmpty() ? "none" : String.join(", ", byPlatform.keySet()))
              + ")");
    }
    if (!executor.operations().contains(action.operation())) {
      return Optional.of(
          "the "
              + platform
              + " executor cannot '"
              + action.operation()
              + "'; it can: "
              + String.join(", ", new java.util.TreeSet<>(executor.operations())));
    }
    return Optional.empty();
  }
}
