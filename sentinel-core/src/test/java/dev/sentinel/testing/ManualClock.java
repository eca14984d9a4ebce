package dev.sentinel.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that stands still until a test moves it; shared by every module's tests through
 * sentinel-core's test jar. Safe to read from other threads while the test moves it.
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
