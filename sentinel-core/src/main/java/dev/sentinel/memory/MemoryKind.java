package dev.sentinel.memory;

import java.util.Locale;

/** What a remembered document is. */
public enum MemoryKind {
  /** An incident's description, stored when it opens: what deduplication compares against. */
  INCIDENT,
  /** A resolved incident with its root cause and the action that fixed it. */
  RESOLUTION,
  /** One section of a runbook. */
  RUNBOOK;

  /** The lower-case name used in payloads, APIs and configuration. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MemoryKind of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
