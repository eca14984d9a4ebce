package dev.sentinel.audit;

/**
 * A filter over the audit trail; null fields match everything.
 *
 * @param fromMillis inclusive lower bound of the entry time, or null
 * @param toMillis exclusive upper bound of the entry time, or null
 * @param afterSequence only entries after this sequence (for paging), 0 for all
 * @param limit at most this many entries, oldest first
 */
public record AuditQuery(
    String actor,
    AuditAction action,
    String incidentId,
    Long fromMillis,
    Long toMillis,
    long afterSequence,
    int limit) {

  public AuditQuery {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be in 1..10000, was " + limit);
    }
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence must be >= 0, was " + afterSequence);
    }
  }

  public static AuditQuery all(int limit) {
    return new AuditQuery(null, null, null, null, null, 0, limit);
  }

  public static AuditQuery forIncident(String incidentId) {
    return new AuditQuery(null, null, incidentId, null, null, 0, 10_000);
  }
}
