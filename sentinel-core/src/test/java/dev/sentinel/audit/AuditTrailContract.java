package dev.sentinel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditTrail} adapter must have. An adapter's test extends this and
 * supplies a fresh, empty trail and a way to tamper with its storage behind its back.
 */
public abstract class AuditTrailContract {

  /** A new, empty trail. */
  protected abstract AuditTrail trail();

  /** Changes the actor of one stored entry directly in storage, bypassing the trail. */
  protected abstract void alterActor(long sequence, String actor);

  /** Deletes one stored entry directly in storage, bypassing the trail. */
  protected abstract void delete(long sequence);

  private static AuditRecord record(long at, String actor, AuditAction action, String incident) {
    return AuditRecord.of(at, actor, action, incident, Map.of("step", "restart checkout"));
  }

  @Test
  void appended_entries_are_numbered_and_linked() {
    AuditTrail trail = trail();
    AuditEntry first = trail.append(record(1000, "sentinel", AuditAction.INCIDENT_OPENED, "inc-1"));
    AuditEntry second = trail.append(record(2000, "alice", AuditAction.APPROVAL_GRANTED, "inc-1"));
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.previousHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.previousHash()).isEqualTo(first.hash());
    assertThat(trail.find(AuditQuery.all(10))).containsExactly(first, second);
  }

  @Test
  void find_filters_by_actor_action_incident_and_time() {
    AuditTrail trail = trail();
    trail.append(record(1000, "sentinel", AuditAction.INCIDENT_OPENED, "inc-1"));
    trail.append(record(2000, "alice", AuditAction.APPROVAL_GRANTED, "inc-1"));
    trail.append(record(3000, "bob", AuditAction.APPROVAL_REJECTED, "inc-2"));
    trail.append(record(4000, "alice", AuditAction.APPROVAL_GRANTED, "inc-2"));

    assertThat(trail.find(new AuditQuery("alice", null, null, null, null, 0, 10)))
        .extracting(AuditEntry::sequence)
        .containsExactly(2L, 4L);
    assertThat(
            trail.find(
                new AuditQuery(null, AuditAction.APPROVAL_REJECTED, null, null, null, 0, 10)))
        .extracting(entry -> entry.record().actor())
        .containsExactly("bob");
    assertThat(trail.find(AuditQuery.forIncident("inc-2"))).hasSize(2);
    assertThat(trail.find(new AuditQuery(null, null, null, 2000L, 4000L, 0, 10)))
        .extracting(AuditEntry::sequence)
        .containsExactly(2L, 3L);
    assertThat(trail.find(new AuditQuery(null, null, null, null, null, 2, 1)))
        .extracting(AuditEntry::sequence)
        .containsExactly(3L);
    assertThat(trail.find(AuditQuery.all(1)).getFirst().record().details())
        .containsEntry("step", "restart checkout");
  }

  @Test
  void an_untouched_trail_verifies() {
    AuditTrail trail = trail();
    for (int i = 1; i <= 20; i++) {
      trail.append(record(i * 1000L, "sentinel", AuditAction.ACTION_EXECUTED, "inc-" + i));
    }
    assertThat(trail.verify()).isInstanceOf(Verification.Intact.class);
    assertThat(((Verification.Intact) trail.verify()).entriesChecked()).isEqualTo(20);
  }

  @Test
  void an_altered_entry_is_found() {
    AuditTrail trail = trail();
    for (int i = 1; i <= 5; i++) {
      trail.append(record(i * 1000L, "alice", AuditAction.APPROVAL_GRANTED, "inc-1"));
    }
    alterActor(3, "mallory");
    Verification result = trail.verify();
    assertThat(result).isInstanceOf(Verification.Broken.class);
    assertThat(((Verification.Broken) result).sequence()).isEqualTo(3);
  }

  @Test
  void a_removed_entry_is_found_in_the_middle_and_at_the_end() {
    AuditTrail trail = trail();
    for (int i = 1; i <= 5; i++) {
      trail.append(record(i * 1000L, "alice", AuditAction.APPROVAL_GRANTED, "inc-1"));
    }
    delete(5);
    Verification tail = trail.verify();
    assertThat(tail).isInstanceOf(Verification.Broken.class);
    assertThat(((Verification.Broken) tail).reason()).contains("newest entries were removed");
    delete(2);
    Verification middle = trail.verify();
    assertThat(((Verification.Broken) middle).sequence()).isEqualTo(2);
  }

  @Test
  void pruning_keeps_the_rest_verifiable_and_is_itself_audited() {
    AuditTrail trail = trail();
    for (int i = 1; i <= 10; i++) {
      trail.append(record(i * 1000L, "sentinel", AuditAction.ACTION_EXECUTED, "inc-1"));
    }
    assertThat(trail.pruneBefore(5500, "retention")).isEqualTo(5);
    List<AuditEntry> left = trail.find(AuditQuery.all(100));
    assertThat(left.getFirst().sequence()).isEqualTo(6);
    assertThat(left.getLast().record().action()).isEqualTo(AuditAction.AUDIT_PRUNED);
    assertThat(trail.verify()).isInstanceOf(Verification.Intact.class);
    assertThat(trail.pruneBefore(0, "retention")).isZero();
  }
}
