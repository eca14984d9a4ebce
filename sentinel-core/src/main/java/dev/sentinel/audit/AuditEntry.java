package dev.sentinel.audit;

import java.util.Objects;

/**
 * An appended audit record with its place in the chain.
 *
 * @param sequence 1, 2, 3… with no gap: a missing number is a removed entry
 * @param previousHash the hash of the entry before ({@link AuditChain#GENESIS} for the first)
 * @param hash SHA-256, or HMAC-SHA-256 under the audit key ({@link AuditChain#KEYED}), over the
 *     sequence, the record and {@code previousHash}
 */
public record AuditEntry(long sequence, AuditRecord record, String previousHash, String hash) {

  public AuditEntry {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
    }
  }
}
