package dev.sentinel.learn;

import dev.sentinel.verify.Recovery;
import java.util.Objects;

/**
 * What one remediation taught: for this cause on this service, this operation led to this recovery.
 * Recorded when an incident's workflow ends.
 */
public record Lesson(
    String incidentId,
    String cause,
    String service,
    String operation,
    Recovery recovery,
    long atMillis) {

  public Lesson {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(recovery, "recovery");
  }
}
