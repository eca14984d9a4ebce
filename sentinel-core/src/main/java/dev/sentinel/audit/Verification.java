package dev.sentinel.audit;

/** The outcome of checking an audit trail's chain. */
public sealed interface Verification {

  /** Every entry checked links to the one before and matches its hash. */
  record Intact(long entriesChecked, long lastSequence, String lastHash) implements Verification {}

  /** The first entry at which the chain breaks, and why. */
  record Broken(long sequence, String reason) implements Verification {}
}
