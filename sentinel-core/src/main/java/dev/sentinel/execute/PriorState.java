package dev.sentinel.execute;

import dev.sentinel.plan.Target;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a target looked like just before an action: everything a rollback needs to put it back
 * (replica count, deployment revision, task definition, instance state...). Captured and stored
 * before the action runs, so a crash between capture and action loses nothing.
 */
public record PriorState(Target target, Map<String, String> state) {

  public PriorState {
    Objects.requireNonNull(target, "target");
    state = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(state));
  }

  public String get(String key) {
    return state.get(key);
  }
}
