package dev.sentinel.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * The hash chain that makes the audit trail tamper-evident: each entry's hash covers its sequence
 * number, its record and the previous entry's hash, so editing, removing or reordering any entry
 * breaks every hash after it. One definition, used by every audit adapter.
 */
public final class AuditChain {

  /** The "previous hash" of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static AuditEntry link(long sequence, AuditRecord record, String previousHash) {
    return new AuditEntry(sequence, record, previousHash, hash(sequence, record, previousHash));
  }

  public static String hash(long sequence, AuditRecord record, String previousHash) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
    sha256.update(canonical(sequence, record, previousHash).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha256.digest());
  }

  /**
   * The exact text that is hashed. Fields are length-prefixed, so no choice of values can make two
   * different records print the same.
   */
  static String canonical(long sequence, AuditRecord record, String previousHash) {
    StringBuilder text = new StringBuilder(256);
    field(text, Long.toString(sequence));
    field(text, Long.toString(record.atMillis()));
    field(text, record.actor());
    field(text, record.action().code());
    field(text, record.incidentId() == null ? "" : record.incidentId());
    field(text, Integer.toString(record.details().size()));
    for (Map.Entry<String, String> detail : record.details().entrySet()) {
      field(text, detail.getKey());
      field(text, detail.getValue());
    }
    field(text, previousHash);
    return text.toString();
  }

  private static void field(StringBuilder text, String value) {
    text.append(value.length()).append(':').append(value).append(';');
  }

  /**
   * Walks entries in sequence order and reports the first break.
   *
   * @param startAfter the sequence and hash the walk starts from: {@code (0, GENESIS)} for a full
   *     trail, or the anchor left by retention when old entries were pruned
   */
  public static Verification verify(
      Iterator<AuditEntry> entries, long startAfter, String anchorHash) {
    long expected = startAfter + 1;
    String previous = anchorHash;
    long checked = 0;
    while (entries.hasNext()) {
      AuditEntry entry = entries.next();
      if (entry.sequence() != expected) {
        return new Verification.Broken(
            expected,
            entry.sequence() > expected
                ? "entry " + expected + " is missing (next present is " + entry.sequence() + ")"
                : "entry " + entry.sequence() + " is out of order (expected " + expected + ")");
      }
      if (!entry.previousHash().equals(previous)) {
        return new Verification.Broken(
            entry.sequence(),
            "entry "
                + entry.sequence()
                + " does not follow entry "
                + (entry.sequence() - 1)
                + ": its previous-hash link differs (an entry before it was changed, removed or"
                + " reordered)");
      }
      String recomputed = hash(entry.sequence(), entry.record(), entry.previousHash());
      if (!recomputed.equals(entry.hash())) {
        return new Verification.Broken(
            entry.sequence(),
            "entry " + entry.sequence() + " was altered: its content no longer matches its hash");
      }
      previous = entry.hash();
      expected++;
      checked++;
    }
    return new Verification.Intact(checked, expected - 1, previous);
  }
}
