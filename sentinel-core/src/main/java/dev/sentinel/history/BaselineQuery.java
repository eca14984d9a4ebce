package dev.sentinel.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * "What is normal at this time?": the values within {@code ± halfWindow} of the same time of day,
 * on the same weekday ({@link Seasonality#WEEKLY}) or on every day ({@link Seasonality#DAILY}),
 * over the {@code lookbackDays} before {@code atMillis}.
 *
 * <p>Days are 24-hour periods of absolute time (UTC, no daylight-saving shifts), so a window is
 * always {@code atMillis - k × 24 h ± halfWindow}. Computing the windows here, rather than with a
 * database's date functions, keeps the definition identical on every store and lets the query use
 * the timestamp order of the points table.
 */
public record BaselineQuery(
    long atMillis, int lookbackDays, Duration halfWindow, Seasonality seasonality) {

  public static final Duration DEFAULT_HALF_WINDOW = Duration.ofMinutes(30);
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

  public BaselineQuery {
    if (lookbackDays < 1 || lookbackDays > 3660) {
      throw new IllegalArgumentException("lookbackDays must be 1..3660, was " + lookbackDays);
    }
    if (halfWindow.isNegative()
        || halfWindow.isZero()
        || halfWindow.compareTo(Duration.ofHours(12)) >= 0) {
      throw new IllegalArgumentException(
          "halfWindow must be positive and under 12 h (windows must not overlap), was "
              + halfWindow);
    }
    if (seasonality == Seasonality.WEEKLY && lookbackDays < 7) {
      throw new IllegalArgumentException(
          "a weekly baseline needs lookbackDays >= 7, was " + lookbackDays);
    }
    if (atMillis - (long) lookbackDays * DAY_MILLIS - halfWindow.toMillis() < 0) {
      throw new IllegalArgumentException("the baseline would reach before the epoch");
    }
  }

  /** The same weekday over the last {@code weeks} weeks, ± 30 minutes. */
  public static BaselineQuery weekly(long atMillis, int weeks) {
    return new BaselineQuery(atMillis, weeks * 7, DEFAULT_HALF_WINDOW, Seasonality.WEEKLY);
  }

  /** Every day over the last {@code days} days, ± 30 minutes. */
  public static BaselineQuery daily(long atMillis, int days) {
    return new BaselineQuery(atMillis, days, DEFAULT_HALF_WINDOW, Seasonality.DAILY);
  }

  /**
   * The windows the baseline draws from, oldest first; each is {@code [centre - w, centre + w)}.
   */
  public List<TimeRange> windows() {
    int period = seasonality.periodDays();
    long half = halfWindow.toMillis();
    List<TimeRange> windows = new ArrayList<>(lookbackDays / period);
    for (int days = lookbackDays / period * period; days >= period; days -= period) {
      long centre = atMillis - days * DAY_MILLIS;
      windows.add(new TimeRange(centre - half, centre + half));
    }
    return List.copyOf(windows);
  }
}
