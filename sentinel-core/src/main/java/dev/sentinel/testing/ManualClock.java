package dev.sentinel.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that stands still until it is moved: every module's tests use it, and so does {@code
 * sentinel eval loop}, whose trials run on simulated time. Safe to read from other threads while it
 * is moved.
 */
public final class ManualClock extends Clock {

  private volatile long millis;

  public ManualClock(long millis) {
    this.millis = millis;
  }

  public void advance(long byMillis) {
    millis += byMillis;
  }

  public void advance(Duration duration) {
    advance(duration.toMillis());
  }

  /** Moves the clock to {@code atMillis}; time runs forward only. */
  public void set(long atMillis) {
    if (atMillis < millis) {
      throw new IllegalArgumentException("time runs forward only: " + atMillis + " < " + millis);
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
    throw new UnsupportedOperationException("a manual clock stays in UTC");
  }
}
