package dev.sentinel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyedAuditChainTest {

  private static final AuditKey KEY = key("the audit key of this test, 32+ bytes");

  private static AuditKey key(String text) {
    return AuditKey.of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static AuditRecord record(int i) {
    return AuditRecord.of(
        1_000L * i, "alice", AuditAction.APPROVAL_GRANTED, "inc-" + i, Map.of("n", "" + i));
  }

  /** {@code plain} plain entries, then keyed ones up to {@code length}. */
  private static List<AuditEntry> chain(int plain, int length) {
    List<AuditEntry> entries = new ArrayList<>();
    String previous = AuditChain.GENESIS;
    for (int i = 1; i <= length; i++) {
      AuditEntry entry =
          i <= plain
              ? AuditChain.link(i, record(i), previous)
              : AuditChain.link(i, record(i), previous, KEY);
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  private static Verification verify(List<AuditEntry> entries, AuditKey key) {
    return AuditChain.verify(entries.iterator(), 0, AuditChain.GENESIS, key);
  }

  @Test
  void a_keyed_chain_verifies_with_its_key_only() {
    List<AuditEntry> entries = chain(0, 5);
    assertThat(entries).allSatisfy(entry -> assertThat(entry.hash()).startsWith("hmac:"));
    assertThat(verify(entries, KEY)).isInstanceOf(Verification.Intact.class);
    assertThat(verify(entries, key("another key, also 32 bytes or more")))
        .isEqualTo(
            new Verification.Broken(
                1, "entry 1 was altered: its content no longer matches its keyed hash"));
    assertThat(verify(entries, null)).isInstanceOf(Verification.Broken.class);
  }

  @Test
  void plain_entries_before_keyed_ones_verify() {
    assertThat(verify(chain(3, 6), KEY)).isInstanceOf(Verification.Intact.class);
  }

  @Test
  void a_plain_entry_after_a_keyed_one_is_a_break_at_that_entry() {
    List<AuditEntry> entries = chain(0, 5);
    AuditEntry fourth = entries.get(3);
    AuditEntry plain = AuditChain.link(4, fourth.record(), fourth.previousHash());
    entries.set(3, plain);
    entries.set(
        4, AuditChain.link(5, entries.get(4).record(), plain.hash(), KEY)); // even re-keyed after

    Verification result = verify(entries, KEY);

    assertThat(result).isInstanceOf(Verification.Broken.class);
    assertThat(((Verification.Broken) result).sequence()).isEqualTo(4);
    assertThat(((Verification.Broken) result).reason()).contains("without the audit key");
  }

  @Test
  void an_anchor_not_named_by_a_keyed_audit_pruned_entry_is_a_break() {
    List<AuditEntry> entries = chain(0, 5);
    Verification result =
        AuditChain.verify(entries.subList(2, 5).iterator(), 2, entries.get(1).hash(), KEY);
    assertThat(result).isInstanceOf(Verification.Broken.class);
    assertThat(((Verification.Broken) result).sequence()).isEqualTo(3);
  }

  @Test
  void a_key_shorter_than_32_bytes_is_refused() {
    assertThatThrownBy(() -> key("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
    assertThat(KEY.toString()).doesNotContain("audit key of this test");
  }
}
