package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditChain;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rewrites of the audit trail by someone who can write the database but has neither the audit key
 * nor the data directory: each is found, at the entry where it happened. The attacker's best tool
 * is the plain (unkeyed) chain hash, which anyone can compute.
 */
class PostgresAuditTamperTest {

  private DataSource dataSource;
  private Path headFile;
  private PostgresAuditTrail trail;

  @BeforeEach
  void tenEntries() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    TestDatabases.reset(dataSource);
    headFile = Files.createTempDirectory("sentinel-audit-head").resolve("audit-head");
    trail = trail();
    for (int i = 1; i <= 10; i++) {
      trail.append(record(i * 1000L, "inc-" + i));
    }
  }

  private PostgresAuditTrail trail() throws Exception {
    return new PostgresAuditTrail(
        dataSource, TestDatabases.bundled().secrets().auditKey(), headFile);
  }

  private static AuditRecord record(long at, String incident) {
    return AuditRecord.of(
        at, "sentinel", AuditAction.ACTION_EXECUTED, incident, Map.of("step", "restart api"));
  }

  private List<AuditEntry> entries() {
    return trail.find(AuditQuery.all(1000));
  }

  private void execute(String sql, Object... parameters) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes an entry's row as the attacker made it. */
  private void overwrite(AuditEntry entry) {
    execute(
        "UPDATE audit_log SET actor = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
        entry.record().actor(),
        entry.previousHash(),
        entry.hash(),
        entry.sequence());
  }

  private static long brokenAt(Verification verification) {
    assertThat(verification).isInstanceOf(Verification.Broken.class);
    return ((Verification.Broken) verification).sequence();
  }

  @Test
  void an_untouched_keyed_trail_verifies() {
    assertThat(trail.verify()).isEqualTo(verifiedTo(10));
    assertThat(entries()).allSatisfy(entry -> assertThat(entry.hash()).startsWith("hmac:"));
  }

  private Verification verifiedTo(long last) {
    return new Verification.Intact(last, last, entries().getLast().hash());
  }

  @Test
  void an_edit_with_every_hash_recomputed_from_it_onward_is_found_at_the_edited_entry() {
    List<AuditEntry> entries = entries();
    String previous = entries.get(3).hash();
    for (AuditEntry original : entries.subList(4, 10)) {
      AuditRecord record = original.record();
      if (original.sequence() == 5) {
        record =
            new AuditRecord(
                record.atMillis(),
                "mallory",
                record.action(),
                record.incidentId(),
                record.details());
      }
      AuditEntry forged = AuditChain.link(original.sequence(), record, previous);
      overwrite(forged);
      previous = forged.hash();
    }
    execute("UPDATE audit_head SET last_hash = ?", previous);

    Verification result = trail.verify();

    assertThat(brokenAt(result)).isEqualTo(5);
  }

  @Test
  void a_cut_of_the_newest_entries_with_the_head_moved_back_is_found_at_the_first_cut_entry() {
    AuditEntry seventh = entries().get(6);
    execute("DELETE FROM audit_log WHERE sequence > 7");
    execute("UPDATE audit_head SET last_sequence = 7, last_hash = ?", seventh.hash());

    Verification result = trail.verify();

    assertThat(brokenAt(result)).isEqualTo(8);
    assertThat(((Verification.Broken) result).reason()).contains("wrote entry 10");
  }

  @Test
  void a_cut_of_the_oldest_entries_with_the_anchor_moved_is_found_without_an_audit_pruned_entry() {
    AuditEntry third = entries().get(2);
    execute("DELETE FROM audit_log WHERE sequence <= 3");
    execute("UPDATE audit_head SET anchor_sequence = 3, anchor_hash = ?", third.hash());

    Verification result = trail.verify();

    assertThat(brokenAt(result)).isEqualTo(4);
    assertThat(((Verification.Broken) result).reason()).contains("audit.pruned");
  }

  @Test
  void a_rewrite_of_only_the_newest_entry_and_its_hash_is_found_at_that_entry() {
    AuditEntry newest = entries().getLast();
    AuditRecord record = newest.record();
    AuditEntry forged =
        AuditChain.link(
            10,
            new AuditRecord(
                record.atMillis(),
                "mallory",
                record.action(),
                record.incidentId(),
                record.details()),
            newest.previousHash());
    overwrite(forged);
    execute("UPDATE audit_head SET last_hash = ?", forged.hash());

    assertThat(brokenAt(trail.verify())).isEqualTo(10);
  }

  @Test
  void a_keyed_looking_hash_made_without_the_key_is_found_at_its_entry() {
    AuditEntry sixth = entries().get(5);
    execute(
        "UPDATE audit_log SET actor = 'mallory', hash = ? WHERE sequence = 6",
        "hmac:" + "ab".repeat(32));

    Verification result = trail.verify();

    assertThat(brokenAt(result)).isEqualTo(6);
    assertThat(sixth.hash()).startsWith("hmac:");
  }

  @Test
  void the_whole_trail_rewritten_without_the_key_is_found_by_the_head_kept_outside_the_database() {
    String previous = AuditChain.GENESIS;
    for (AuditEntry original : entries()) {
      AuditEntry forged = AuditChain.link(original.sequence(), original.record(), previous);
      overwrite(forged);
      previous = forged.hash();
    }
    execute("UPDATE audit_head SET last_hash = ?", previous);

    // Every link is consistent; only the head file knows entry 10 was another.
    assertThat(brokenAt(trail.verify())).isEqualTo(10);
  }

  @Test
  void a_rewrite_stays_found_after_sentinel_appends_again() {
    // The attacker rewrites everything with plain hashes and a moved anchor, hoping the next
    // append starts a new keyed part on top of the forgery.
    String previous = AuditChain.GENESIS;
    for (AuditEntry original : entries()) {
      AuditRecord record = original.record();
      if (original.sequence() == 2) {
        record =
            new AuditRecord(
                record.atMillis(),
                "mallory",
                record.action(),
                record.incidentId(),
                record.details());
      }
      AuditEntry forged = AuditChain.link(original.sequence(), record, previous);
      overwrite(forged);
      previous = forged.hash();
    }
    execute("UPDATE audit_head SET last_hash = ?", previous);

    trail.append(record(11_000, "inc-11"));
    trail.append(record(12_000, "inc-12"));

    assertThat(entries())
        .extracting(entry -> entry.record().action())
        .doesNotContain(AuditAction.AUDIT_KEYED);
    assertThat(brokenAt(trail.verify())).isEqualTo(10);
  }

  @Test
  void pruning_leaves_a_keyed_audit_pruned_entry_and_the_rest_verifies() {
    long removed = trail.pruneBefore(3500, "retention");

    assertThat(removed).isEqualTo(3);
    AuditEntry pruned = entries().getLast();
    assertThat(pruned.record().action()).isEqualTo(AuditAction.AUDIT_PRUNED);
    assertThat(pruned.record().details())
        .containsEntry(AuditChain.ANCHOR_SEQUENCE, "3")
        .containsKey(AuditChain.ANCHOR_HASH);
    assertThat(pruned.hash()).startsWith("hmac:");
    assertThat(trail.verify()).isInstanceOf(Verification.Intact.class);

    // A second, silent cut after a real pruning is still found.
    AuditEntry fifth = entries().get(1);
    execute("DELETE FROM audit_log WHERE sequence <= 5");
    execute("UPDATE audit_head SET anchor_sequence = 5, anchor_hash = ?", fifth.hash());
    assertThat(brokenAt(trail.verify())).isEqualTo(6);
  }

  @Test
  void a_trail_written_before_keys_keeps_verifying_and_continues_keyed() throws Exception {
    // Ten plain entries, as an older Sentinel wrote them.
    TestDatabases.reset(dataSource);
    String previous = AuditChain.GENESIS;
    for (int i = 1; i <= 10; i++) {
      AuditEntry plain = AuditChain.link(i, record(i * 1000L, "inc-" + i), previous);
      execute(
          "INSERT INTO audit_log (sequence, at_millis, actor, action, incident_id, details,"
              + " previous_hash, hash) VALUES (?, ?, 'sentinel', 'action.executed', ?,"
              + " '{\"step\": \"restart api\"}'::jsonb, ?, ?)",
          (long) i,
          i * 1000L,
          "inc-" + i,
          plain.previousHash(),
          plain.hash());
      previous = plain.hash();
    }
    execute("UPDATE audit_head SET last_sequence = 10, last_hash = ?", previous);
    Files.deleteIfExists(headFile);
    trail = trail();
    assertThat(trail.verify()).isInstanceOf(Verification.Intact.class);

    trail.append(record(11_000, "inc-11"));

    List<AuditEntry> entries = entries();
    assertThat(entries).hasSize(12);
    assertThat(entries.get(10).record().action()).isEqualTo(AuditAction.AUDIT_KEYED);
    assertThat(entries.get(10).hash()).startsWith("hmac:");
    assertThat(entries.get(11).hash()).startsWith("hmac:");
    assertThat(trail.verify()).isInstanceOf(Verification.Intact.class);

    // An old entry edited is still found where it was edited.
    execute("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 4");
    assertThat(brokenAt(trail.verify())).isEqualTo(4);
    execute("UPDATE audit_log SET actor = 'sentinel' WHERE sequence = 4");

    // An old entry edited with the plain hashes recomputed up to the keyed part is found where
    // the keyed part begins: its link cannot be recomputed without the key.
    String relinked = entries.get(2).hash();
    for (AuditEntry original : entries.subList(3, 10)) {
      AuditRecord record = original.record();
      if (original.sequence() == 4) {
        record =
            new AuditRecord(
                record.atMillis(),
                "mallory",
                record.action(),
                record.incidentId(),
                record.details());
      }
      AuditEntry forged = AuditChain.link(original.sequence(), record, relinked);
      overwrite(forged);
      relinked = forged.hash();
    }
    Verification relinkedResult = trail.verify();
    assertThat(brokenAt(relinkedResult)).isEqualTo(11);
    for (AuditEntry original : entries.subList(3, 10)) {
      overwrite(original);
    }
    assertThat(trail.verify()).isInstanceOf(Verification.Intact.class);

    // A keyed entry turned back into a plain one is found at that entry.
    AuditEntry last = entries.get(11);
    overwrite(AuditChain.link(12, last.record(), last.previousHash()));
    assertThat(brokenAt(trail.verify())).isEqualTo(12);
  }
}
