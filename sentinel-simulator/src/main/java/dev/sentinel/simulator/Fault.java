package dev.sentinel.simulator;

import java.util.Objects;

/**
 * One injected fault.
 *
 * @param kind what is wrong
 * @param service the service it affects
 * @param startMillis when it began, epoch milliseconds
 * @param untilMillis when it ends by itself, or {@link #UNTIL_CLEARED} when only an operation ends
 *     it
 */
public record Fault(FaultKind kind, String service, long startMillis, long untilMillis) {

  /** The end time of a fault that lasts until an operation (or {@code clearFaults}) removes it. */
  public static final long UNTIL_CLEARED = Long.MAX_VALUE;

  public Fault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(service, "service");
    if (untilMillis <= startMillis) {
      throw new IllegalArgumentException(
          "fault must end after it starts: " + untilMillis + " <= " + startMillis);
    }
  }

  public boolean activeAt(long timestampMillis) {
    return timestampMillis >= startMillis && timestampMillis < untilMillis;
  }

  public boolean endsByItself() {
    return untilMillis != UNTIL_CLEARED;
  }
}
