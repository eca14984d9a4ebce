package dev.sentinel.audit;

import java.util.List;

/**
 * The append-only, hash-chained record of everything Sentinel and its users did.
 *
 * <p>Thread-safe, and safe across processes sharing one store: appends are serialised so the chain
 * has exactly one order. Entries are never updated; only retention removes the oldest, and it
 * leaves an anchor so the rest still verifies.
 */
public interface AuditTrail {

  /** Appends a record at the end of the chain and returns it linked. Not idempotent. */
  AuditEntry append(AuditRecord record);

  /** Entries matching the query, oldest first. */
  List<AuditEntry> find(AuditQuery query);

  /**
   * Checks the whole chain from the retention anchor to the last entry, including that no entry was
   * removed from the end.
   */
  Verification verify();

  /**
   * Removes entries older than the cut-off (retention), keeping the chain verifiable from the last
   * removed entry's hash. Records the pruning itself as a new entry.
   *
   * @return how many entries were removed
   */
  long pruneBefore(long cutoffMillis, String actor);
}
