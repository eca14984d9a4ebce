package dev.sentinel.audit;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One thing that happened, as it is appended to the audit trail.
 *
 * @param atMillis when, epoch milliseconds
 * @param actor who did it: a user or API key name, {@code slack:U123}, or {@code sentinel} for the
 *     engine itself
 * @param action what was done
 * @param incidentId the incident it concerns, or {@code null}
 * @param details the facts that matter for this action, as text (sorted, so hashing is stable)
 */
public record AuditRecord(
    long atMillis,
    String actor,
    AuditAction action,
    String incidentId,
    SortedMap<String, String> details) {

  public AuditRecord {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    if (actor.isBlank()) {
      throw new IllegalArgumentException("actor must not be blank");
    }
    details = Collections.unmodifiableSortedMap(new TreeMap<>(details));
    details.forEach(
        (key, value) -> {
          Objects.requireNonNull(value, () -> "detail '" + key + "' is null");
        });
  }

  public static AuditRecord of(
      long atMillis,
      String actor,
      AuditAction action,
      String incidentId,
      java.util.Map<String, String> details) {
    return new AuditRecord(atMillis, actor, action, incidentId, new TreeMap<>(details));
  }
}
