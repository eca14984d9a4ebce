package dev.sentinel.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The audit trail in memory: for tests and for running without a state store. */
public final class InMemoryAuditTrail implements AuditTrail {

  private final List<AuditEntry> entries = new ArrayList<>();
  private long anchorSequence;
  private String anchorHash = AuditChain.GENESIS;
  private long lastSequence;
  private String lastHash = AuditChain.GENESIS;

  @Override
  public synchronized AuditEntry append(AuditRecord record) {
    AuditEntry entry = AuditChain.link(lastSequence + 1, record, lastHash);
    entries.add(entry);
    lastSequence = entry.sequence();
    lastHash = entry.hash();
    return entry;
  }

  @Override
  public synchronized List<AuditEntry> find(AuditQuery query) {
    List<AuditEntry> found = new ArrayList<>();
    for (AuditEntry entry : entries) {
      AuditRecord record = entry.record();
      if (entry.sequence() > query.afterSequence()
          && (query.actor() == null || query.actor().equals(record.actor()))
          && (query.action() == null || query.action() == record.action())
          && (query.incidentId() == null || query.incidentId().equals(record.incidentId()))
          && (query.fromMillis() == null || record.atMillis() >= query.fromMillis())
          && (query.toMillis() == null || record.atMillis() < query.toMillis())) {
        found.add(entry);
        if (found.size() == query.limit()) {
          break;
        }
      }
    }
    return found;
  }

  @Override
  public synchronized Verification verify() {
    Verification result =
        AuditChain.verify(List.copyOf(entries).iterator(), anchorSequence, anchorHash);
    if (result instanceof Verification.Intact intact && intact.lastSequence() != lastSequence) {
      return new Verification.Broken(
          intact.lastSequence() + 1,
          "the trail ends at entry "
              + intact.lastSequence()
              + " but entries up to "
              + lastSequence
              + " were written: the newest entries were removed");
    }
    return result;
  }

  @Override
  public synchronized long pruneBefore(long cutoffMillis, String actor) {
    int removed = 0;
    while (removed < entries.size() && entries.get(removed).record().atMillis() < cutoffMillis) {
      removed++;
    }
    if (removed == 0) {
      return 0;
    }
    AuditEntry newAnchor = entries.get(removed - 1);
    entries.subList(0, removed).clear();
    anchorSequence = newAnchor.sequence();
    anchorHash = newAnchor.hash();
    append(
        AuditRecord.of(
            System.currentTimeMillis(),
            actor,
            AuditAction.AUDIT_PRUNED,
            null,
            Map.of("removed", Integer.toString(removed), "before", Long.toString(cutoffMillis))));
    return removed;
  }

  /** Replaces one stored entry, bypassing the chain: for tamper tests. */
  synchronized void replace(int index, AuditEntry forged) {
    entries.set(index, forged);
  }

  /** Removes one stored entry, bypassing the chain: for tamper tests. */
  synchronized void removeAt(int index) {
    entries.remove(index);
  }
}
