package dev.sentinel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static List<AuditEntry> chain(int length) {
    List<AuditEntry> entries = new ArrayList<>();
    String previous = AuditChain.GENESIS;
    for (int i = 1; i <= length; i++) {
      AuditEntry entry =
          AuditChain.link(
              i,
              AuditRecord.of(
                  1_000L * i,
                  "alice",
                  AuditAction.APPROVAL_GRANTED,
                  "inc-" + i,
                  Map.of("n", "" + i)),
              previous);
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  private static Verification verify(List<AuditEntry> entries) {
    return AuditChain.verify(entries.iterator(), 0, AuditChain.GENESIS);
  }

  @Test
  void an_untouched_chain_verifies() {
    Verification result = verify(chain(5));
    assertThat(result).isInstanceOf(Verification.Intact.class);
    assertThat(((Verification.Intact) result).entriesChecked()).isEqualTo(5);
  }

  @Test
  void an_edited_entry_is_named() {
    List<AuditEntry> entries = chain(5);
    AuditEntry original = entries.get(2);
    entries.set(
        2,
        new AuditEntry(
            3,
            AuditRecord.of(
                3000, "mallory", AuditAction.APPROVAL_GRANTED, "inc-3", Map.of("n", "3")),
            original.previousHash(),
            original.hash()));
    assertThat(verify(entries))
        .isEqualTo(
            new Verification.Broken(
                3, "entry 3 was altered: its content no longer matches its hash"));
  }

  @Test
  void a_removed_entry_is_named() {
    List<AuditEntry> entries = chain(5);
    entries.remove(1);
    assertThat(verify(entries)).isInstanceOf(Verification.Broken.class);
    assertThat(((Verification.Broken) verify(entries)).reason()).contains("entry 2 is missing");
  }

  @Test
  void reordered_entries_are_detected() {
    List<AuditEntry> entries = chain(5);
    AuditEntry third = entries.get(2);
    entries.set(2, entries.get(3));
    entries.set(3, third);
    assertThat(((Verification.Broken) verify(entries)).sequence()).isEqualTo(3);
  }

  @Test
  void a_renumbered_and_rehashed_forgery_breaks_the_link_of_the_next_entry() {
    List<AuditEntry> entries = chain(5);
    AuditEntry forged =
        AuditChain.link(
            2,
            AuditRecord.of(2000, "mallory", AuditAction.APPROVAL_GRANTED, "inc-2", Map.of()),
            entries.get(0).hash());
    entries.set(1, forged);
    Verification.Broken broken = (Verification.Broken) verify(entries);
    assertThat(broken.sequence()).isEqualTo(3);
    assertThat(broken.reason()).contains("previous-hash link differs");
  }

  @Test
  void length_prefixes_keep_shifted_field_boundaries_apart() {
    AuditRecord a = AuditRecord.of(1, "ab", AuditAction.ESCALATED, null, Map.of("k", "v"));
    AuditRecord b = AuditRecord.of(1, "a", AuditAction.ESCALATED, "b", Map.of("k", "v"));
    assertThat(AuditChain.hash(1, a, AuditChain.GENESIS))
        .isNotEqualTo(AuditChain.hash(1, b, AuditChain.GENESIS));
  }

  @Test
  void action_codes_round_trip() {
    for (AuditAction action : AuditAction.values()) {
      assertThat(AuditAction.fromCode(action.code())).isEqualTo(action);
    }
    assertThat(AuditAction.APPROVAL_GRANTED.code()).isEqualTo("approval.granted");
  }
}
