package dev.sentinel.incident;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of an incident. Each status lists where it may go next; anything else is a bug,
 * and {@link #checkTransition} fails loudly.
 */
public enum IncidentStatus {
  OPEN,
  RESOLVED;

  private Set<IncidentStatus> next() {
    return switch (this) {
      case OPEN -> EnumSet.of(RESOLVED);
      case RESOLVED -> EnumSet.noneOf(IncidentStatus.class);
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
}
