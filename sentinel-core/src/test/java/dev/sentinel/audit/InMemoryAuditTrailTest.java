package dev.sentinel.audit;

import java.util.Map;

class InMemoryAuditTrailTest extends AuditTrailContract {

  private InMemoryAuditTrail trail;

  @Override
  protected AuditTrail trail() {
    trail = new InMemoryAuditTrail();
    return trail;
  }

  @Override
  protected void alterActor(long sequence, String actor) {
    AuditEntry original =
        trail.find(new AuditQuery(null, null, null, null, null, sequence - 1, 1)).getFirst();
    AuditRecord record = original.record();
    trail.replace(
        indexOf(sequence),
        new AuditEntry(
            sequence,
            AuditRecord.of(
                record.atMillis(),
                actor,
                record.action(),
                record.incidentId(),
                Map.copyOf(record.details())),
            original.previousHash(),
            original.hash()));
  }

  @Override
  protected void delete(long sequence) {
    trail.removeAt(indexOf(sequence));
  }

  private int indexOf(long sequence) {
    var all = trail.find(AuditQuery.all(10_000));
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).sequence() == sequence) {
        return i;
      }
    }
    throw new IllegalArgumentException("no entry " + sequence);
  }
}
