package dev.sentinel.simulator;

import java.util.Objects;

/**
 * The outcome of one operation: the state before (what an undo restores) and the state after.
 *
 * @param operation what was done
 * @param service the service it was done to
 * @param atMillis when, epoch milliseconds
 * @param before the service's state just before
 * @param after the service's state just after
 */
public record Change(
    Operation operation, String service, long atMillis, ServiceState before, ServiceState after) {

  public Change {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }
}
