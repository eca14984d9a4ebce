package dev.sentinel.incident;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of an incident. Each status lists where it may go next; anything else is a bug, and
 * {@link #checkTransition} fails loudly.
 *
 * <pre>
 *   OPEN ──► REMEDIATING ──► RESOLVED ──(same problem again within the reopen window)──► OPEN
 *     │          │   ▲
 *     │          ▼   │
 *     │   AWAITING_APPROVAL
 *     │          │
 *     └──────────┴──────► ESCALATED (a human owns it: rejected plan, failed or worsening action)
 * </pre>
 */
public enum IncidentStatus {
  OPEN,
  REMEDIATING,
  AWAITING_APPROVAL,
  ESCALATED,
  RESOLVED;

  private Set<IncidentStatus> next() {
    return switch (this) {
      case OPEN -> EnumSet.of(REMEDIATING, AWAITING_APPROVAL, ESCALATED, RESOLVED);
      case REMEDIATING -> EnumSet.of(AWAITING_APPROVAL, ESCALATED, RESOLVED);
      case AWAITING_APPROVAL -> EnumSet.of(REMEDIATING, ESCALATED, RESOLVED);
      case ESCALATED -> EnumSet.of(REMEDIATING, RESOLVED);
      case RESOLVED -> EnumSet.of(OPEN);
    };
  }

  public boolean canMoveTo(IncidentStatus target) {
    return next().contains(target);
  }

  public void checkTransition(IncidentStatus target) {
    if (!canMoveTo(target)) {
      throw new IllegalStateException("illegal incident transition " + this + " -> " + target);
    }
  }

  /** Everything but RESOLVED: someone or something still owes this incident work. */
  public boolean isOpen() {
    return this != RESOLVED;
  }

  /** The lower-case name used in the API and in storage. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IncidentStatus fromCode(String code) {
    return valueOf(code.strip().toUpperCase(Locale.ROOT));
  }
}
