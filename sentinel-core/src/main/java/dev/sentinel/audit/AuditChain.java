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
 *
 * <p>Two kinds of hash share the chain. A plain SHA-256 (64 hex digits) only detects accidents and
 * naive edits: anyone who can write the store can recompute it. A keyed hash ({@link #KEYED}
 * followed by an HMAC-SHA-256 under an {@link AuditKey} kept outside the store) cannot be
 * recomputed without the key. A trail written before keys existed keeps its plain entries; from the
 * first keyed entry on every entry must be keyed, so a rewrite cannot fall back to plain hashes.
 */
public final class AuditChain {

  /** The "previous hash" of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  /** What a keyed hash starts with; a plain hash is bare hex. */
  public static final String KEYED = "hmac:";

  /**
   * The detail keys with which a keyed {@code audit.pruned} or {@code audit.keyed} entry names the
   * retention anchor it left: the only way the anchor may legitimately move.
   */
  public static final String ANCHOR_SEQUENCE = "anchorSequence";

  public static final String ANCHOR_HASH = "anchorHash";

  private AuditChain() {}

  /** Links an entry with a keyed hash. */
  public static AuditEntry link(
      long sequence, AuditRecord record, String previousHash, AuditKey key) {
    return new AuditEntry(
        sequence, record, previousHash, keyedHash(sequence, record, previousHash, key));
  }

  public static String keyedHash(
      long sequence, AuditRecord record, String previousHash, AuditKey key) {
    return KEYED + key.mac(canonical(sequence, record, previousHash));
  }

  public static boolean isKeyed(String hash) {
    return hash.startsWith(KEYED);
  }

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
   * Walks entries in sequence order and reports the first break, for a trail without a key (plain
   * hashes only).
   *
   * @param startAfter the sequence and hash the walk starts from: {@code (0, GENESIS)} for a full
   *     trail, or the anchor left by retention when old entries were pruned
   */
  public static Verification verify(
      Iterator<AuditEntry> entries, long startAfter, String anchorHash) {
    return verify(entries, startAfter, anchorHash, null);
  }

  /**
   * Walks entries in sequence order and reports the first break. Keyed entries are checked with
   * {@code key}; once one is seen every later entry must be keyed too. When the trail holds keyed
   * entries, the anchor must be the one named by the newest keyed {@code audit.pruned} or {@code
   * audit.keyed} entry (or the start of the trail when there is none), so removing the oldest
   * entries without a keyed record of it is a break.
   *
   * @param key the audit key, or null for a trail of plain hashes
   */
  public static Verification verify(
      Iterator<AuditEntry> entries, long startAfter, String anchorHash, AuditKey key) {
    long expected = startAfter + 1;
    String previous = anchorHash;
    long checked = 0;
    boolean keyedSeen = isKeyed(anchorHash);
    long claimedSequence = 0;
    String claimedHash = GENESIS;
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
      Verification.Broken broken = checkHash(entry, key, keyedSeen);
      if (broken != null) {
        return broken;
      }
      if (isKeyed(entry.hash())) {
        keyedSeen = true;
        Map<String, String> details = entry.record().details();
        AuditAction action = entry.record().action();
        if ((action == AuditAction.AUDIT_PRUNED || action == AuditAction.AUDIT_KEYED)
            && details.containsKey(ANCHOR_SEQUENCE)
            && details.containsKey(ANCHOR_HASH)) {
          claimedSequence = Long.parseLong(details.get(ANCHOR_SEQUENCE));
          claimedHash = details.get(ANCHOR_HASH);
        }
      }
      previous = entry.hash();
      expected++;
      checked++;
    }
    if (keyedSeen && (claimedSequence != startAfter || !claimedHash.equals(anchorHash))) {
      return new Verification.Broken(
          startAfter + 1,
          "the trail starts after entry "
              + startAfter
              + " but the newest keyed audit.pruned entry names entry "
              + claimedSequence
              + ": the oldest entries were removed without a keyed audit.pruned entry");
    }
    return new Verification.Intact(checked, expected - 1, previous);
  }

  private static Verification.Broken checkHash(AuditEntry entry, AuditKey key, boolean keyedSeen) {
    long sequence = entry.sequence();
    if (isKeyed(entry.hash())) {
      if (key == null) {
        return new Verification.Broken(
            sequence, "entry " + sequence + " is keyed, but no audit key was given to check it");
      }
      if (!keyedHash(sequence, entry.record(), entry.previousHash(), key).equals(entry.hash())) {
        return new Verification.Broken(
            sequence,
            "entry " + sequence + " was altered: its content no longer matches its keyed hash");
      }
      return null;
    }
    if (keyedSeen) {
      return new Verification.Broken(
          sequence,
          "entry "
              + sequence
              + " has a plain hash although entries before it are keyed: it was written or"
              + " rewritten without the audit key");
    }
    if (!hash(sequence, entry.record(), entry.previousHash()).equals(entry.hash())) {
      return new Verification.Broken(
          sequence, "entry " + sequence + " was altered: its content no longer matches its hash");
    }
    return null;
  }
}
