package dev.sentinel.simulator;

/**
 * The daily and weekly shape of traffic, as a factor of the weekday peak: a smooth cosine day that
 * peaks at {@code peakHourUtc} and bottoms out twelve hours later, scaled down on Saturdays and
 * Sundays. Consumer-facing traffic typically swings three- to fivefold between afternoon and small
 * hours; the defaults sit in that range.
 *
 * @param troughFactor load at the daily low as a fraction of the daily high, in (0, 1]
 * @param weekendFactor load on weekend days as a fraction of the same hour on a weekday, in (0, 1]
 * @param peakHourUtc the hour of the daily high, in [0, 24)
 */
public record LoadCurve(double troughFactor, double weekendFactor, double peakHourUtc) {

  public static final LoadCurve DEFAULT = new LoadCurve(0.25, 0.65, 15);

  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  /** 1970-01-01 was a Thursday; adding this makes Monday day 0 of the week. */
  private static final int EPOCH_WEEKDAY_OFFSET = 3;

  public LoadCurve {
    if (!(troughFactor > 0 && troughFactor <= 1)) {
      throw new IllegalArgumentException("trough factor must be in (0,1], was " + troughFactor);
    }
    if (!(weekendFactor > 0 && weekendFactor <= 1)) {
      throw new IllegalArgumentException("weekend factor must be in (0,1], was " + weekendFactor);
    }
    if (!(peakHourUtc >= 0 && peakHourUtc < 24)) {
      throw new IllegalArgumentException("peak hour must be in [0,24), was " + peakHourUtc);
    }
  }

  /** Load at this instant as a fraction of the weekday peak, in (0, 1]. */
  public double factor(long timestampMillis) {
    double hour = (double) Math.floorMod(timestampMillis, DAY_MILLIS) / HOUR_MILLIS;
    double shape = (1 + Math.cos(2 * Math.PI * (hour - peakHourUtc) / 24)) / 2;
    double daily = troughFactor + (1 - troughFactor) * shape;
    return isWeekend(timestampMillis) ? daily * weekendFactor : daily;
  }

  static boolean isWeekend(long timestampMillis) {
    long day = Math.floorDiv(timestampMillis, DAY_MILLIS);
    return Math.floorMod(day + EPOCH_WEEKDAY_OFFSET, 7) >= 5;
  }
}
