package dev.sentinel.app.ingest;

/** The range of timestamps the decoders accept; outside it a sender's clock or unit is wrong. */
final class TimeBounds {

  /** Points before 2000-01-01 are refused: almost always seconds sent as milliseconds. */
  static final long EARLIEST_MILLIS = 946_684_800_000L;

  /** Points more than a day ahead of our clock are refused as a broken sender clock. */
  static final long MAX_FUTURE_MILLIS = 86_400_000L;

  private TimeBounds() {}

  /** Null when {@code millis} is acceptable at {@code now}, else what is wrong with it. */
  static String check(long millis, long now) {
    if (millis < EARLIEST_MILLIS) {
      return "timestamp "
          + millis
          + " is before 2000-01-01; epoch milliseconds are expected"
          + (millis > 946_684_800L && millis < 10_000_000_000L
              ? " (this looks like seconds: multiply by 1000)"
              : "");
    }
    if (millis > now + MAX_FUTURE_MILLIS) {
      return "timestamp " + millis + " is more than a day in the future";
    }
    return null;
  }
}
