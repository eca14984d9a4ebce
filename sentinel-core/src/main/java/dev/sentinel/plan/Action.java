package dev.sentinel.plan;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One remediation step to perform: an operation on a target, with its parameters.
 *
 * @param operation what to do, as the executor names it: {@code restart}, {@code scale}, {@code
 *     rollback}, {@code delete-pod}, {@code reboot}, ...
 * @param parameters operation parameters as text, e.g. {@code replicas=6}
 */
public record Action(Target target, String operation, Map<String, String> parameters) {

  public Action {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(operation, "operation");
    parameters = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
  }

  public String parameter(String name) {
    return parameters.get(name);
  }

  /** A short human form: {@code scale simulator:api (replicas=6)}. */
  public String describe() {
    return operation + " " + target + (parameters.isEmpty() ? "" : " " + parameters);
  }
}
