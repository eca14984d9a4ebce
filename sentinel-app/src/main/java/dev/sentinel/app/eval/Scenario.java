package dev.sentinel.app.eval;

import dev.sentinel.simulator.FaultKind;
import java.util.List;
import java.util.Objects;

/**
 * One trial of the fault matrix: the faults to inject into the demo fleet and when, at which hour
 * of a simulated weekday.
 *
 * @param family which kind of trial: {@code single}, {@code pair} (two services at once), {@code
 *     cascade} (a root cause whose effects reach its callers), {@code sequence} (two faults of one
 *     service, one after the other) or {@code quiet} (a fault-free simulated day)
 * @param faults what is injected, in order of their offsets; empty for a quiet day
 * @param hourUtc the hour of day the first fault is injected (the live run starts a little before)
 * @param seed the fleet's noise seed
 */
record Scenario(String family, List<Planned> faults, int hourUtc, long seed) {

  /** A fault to inject {@code offsetSeconds} after the trial's first fault. */
  record Planned(FaultKind kind, String service, long offsetSeconds) {
    Planned {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(service, "service");
    }
  }

  Scenario {
    Objects.requireNonNull(family, "family");
    faults = List.copyOf(faults);
    if (hourUtc < 0 || hourUtc > 23) {
      throw new IllegalArgumentException("hourUtc must be in 0..23, was " + hourUtc);
    }
  }

  boolean quiet() {
    return faults.isEmpty();
  }

  /** {@code single MEMORY_LEAK@checkout 15h}, for tables and logs. */
  String label() {
    if (quiet()) {
      return family + " day";
    }
    StringBuilder text = new StringBuilder(family);
    for (Planned fault : faults) {
      text.append(' ').append(fault.kind()).append('@').append(fault.service());
      if (fault.offsetSeconds() > 0) {
        text.append("+").append(fault.offsetSeconds()).append('s');
      }
    }
    return text.append(' ').append(hourUtc).append('h').toString();
  }
}
