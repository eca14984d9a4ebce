package dev.sentinel.plan;

/**
 * How operations fared before for a cause: the planner prefers what worked. Implemented by the
 * learn stage from resolved incidents. Thread-safe.
 */
@FunctionalInterface
public interface OutcomeHistory {

  /** Net successes (successes minus failures) of {@code operation} against {@code cause}. */
  int netSuccesses(String cause, String operation);

  OutcomeHistory NONE = (cause, operation) -> 0;
}
