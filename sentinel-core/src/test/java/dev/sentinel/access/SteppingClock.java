package dev.sentinel.access;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves one second forward each time it is read, so every event has its own time. */
public final class SteppingClock extends Clock {

  private final AtomicLong next;

  public SteppingClock(long startMillis) {
    this.next = new AtomicLong(startMillis);
  }

  @Override
  public long millis() {
    return next.getAndAdd(1000);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock has one zone");
  }
}
