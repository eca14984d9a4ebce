package dev.sentinel.app.eval;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The evaluation's time: it moves only when the trial moves it, one simulated second per tick, so
 * minutes of a fault and its remediation take milliseconds of wall time. Every component of the
 * loop under test reads this clock. Used by one thread, the trial's.
 */
final class SimulatedClock extends Clock {

  private volatile long millis;

  SimulatedClock(long startMillis) {
    this.millis = startMillis;
  }

  void set(long atMillis) {
    if (atMillis < millis) {
      throw new IllegalArgumentException(
          "simulated time runs forward only: " + atMillis + " < " + millis);
    }
    millis = atMillis;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulated clock stays in UTC");
  }
}
