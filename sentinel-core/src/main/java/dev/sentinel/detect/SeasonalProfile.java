package dev.sentinel.detect;

import java.util.Arrays;

/**
 * The seasonal baseline of every series: a time-of-day profile of 24 hourly bins (UTC) and seven
 * day-of-week offsets. The engine expects {@code level + bin[hour(t)] + day[weekday(t)]}, with the
 * level of {@link LevelTracker}. Each bin keeps, as floats, its offset and the variance of the
 * residuals in its hour, and how many values it has seen as a 16-bit count; each day keeps its
 * offset and count alike. The counts saturate at {@value #MAX_COUNT}, far above any usable minimum,
 * so two bytes hold them exactly: 290 bytes per series instead of 352 with float counts.
 *
 * <p>The profile learns its offsets against a reference level of its own, deliberately slow (a time
 * constant of {@value #REFERENCE_HOURS} hours), in the error-correction form of additive
 * Holt-Winters. Learning against the engine's fast level would not work: on the first day, when the
 * bins learn quickly, every pull of the fast level (a peak ending mid-hour, a shift) would be baked
 * into the bins learnt after it, and the profile would disagree with itself at midnight.
 *
 * <p>A bin may judge only once it has its own minimum of samples and the series has been watched
 * for a full day, so that a profile learnt from a few hours never flags the first evening peak.
 *
 * <p>Learning rates are set per unit of time rather than per point: a bin moves {@value
 * #DAILY_RATE} of the way towards today's shape per day whether the series is sampled every minute
 * or every five, and a day offset {@value #WEEKLY_RATE} of the way per week. Until a bin or day has
 * seen enough values for that rate to apply, it keeps the plain mean of what it saw (rate 1/n).
 */
final class SeasonalProfile {

  static final int HOURS = 24;
  static final int DAYS = 7;
  static final long HOUR_MILLIS = 3_600_000L;
  static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  static final double DAILY_RATE = 0.3;
  static final double WEEKLY_RATE = 0.5;
  static final double REFERENCE_HOURS = 6;

  // Rates per millisecond of sampling interval, so the hot path multiplies instead of divides.
  private static final double DAILY_RATE_PER_MILLI = DAILY_RATE / HOUR_MILLIS;
  private static final double WEEKLY_RATE_PER_MILLI = WEEKLY_RATE / DAY_MILLIS;
  private static final double REFERENCE_RATE_PER_MILLI = 1 / (REFERENCE_HOURS * HOUR_MILLIS);

  /** Residuals are clipped to this many deviations before they teach anything. */
  private static final double CLIP = 3.0;

  /** How much less an anomalous point teaches: a missing peak must not erase the peak. */
  private static final double ANOMALY_DAMPING = 0.1;

  /** Counts saturate here; {@code MetricDetection} keeps the per-bin minimum below it. */
  static final int MAX_COUNT = 65_000;

  private static final int MEAN = 0;
  private static final int VARIANCE = 1;
  private static final int BIN = 2;
  private static final int BIN_STRIDE = HOURS * BIN;

  /** Per slot: the 24 bins' counts, then the 7 days' counts. */
  private static final int COUNT_STRIDE = HOURS + DAYS;

  private double[] references;
  private float[] bins;
  private float[] days;
  private char[] counts;

  SeasonalProfile(boolean enabled, int capacity) {
    int slots = enabled ? capacity : 0;
    references = new double[slots];
    bins = new float[slots * BIN_STRIDE];
    days = new float[slots * DAYS];
    counts = new char[slots * COUNT_STRIDE];
  }

  void grow(int capacity, boolean enabled) {
    if (enabled) {
      references = Arrays.copyOf(references, capacity);
      bins = Arrays.copyOf(bins, Math.multiplyExact(capacity, BIN_STRIDE));
      days = Arrays.copyOf(days, capacity * DAYS);
      counts = Arrays.copyOf(counts, Math.multiplyExact(capacity, COUNT_STRIDE));
    }
  }

  /** Days since the epoch, rounded down: what {@link #hourOf} and {@link #dayOf} start from. */
  static long epochDay(long timestampMillis) {
    return Math.floorDiv(timestampMillis, DAY_MILLIS);
  }

  /**
   * The UTC hour of the day, 0 to 23. Takes the epoch day so that a point costs one 64-bit
   * division, not four: the rest is int arithmetic on the time of day.
   */
  static int hourOf(long timestampMillis, long epochDay) {
    return (int) (timestampMillis - epochDay * DAY_MILLIS) / (int) HOUR_MILLIS;
  }

  /** The UTC day of the week, Monday = 0: 1970-01-01, day 0 of the epoch, was a Thursday. */
  static int dayOf(long epochDay) {
    return Math.floorMod((int) (epochDay % DAYS) + 3, DAYS);
  }

  void start(int slot, double value) {
    references[slot] = value;
  }

  /** Moves the reference level by a confirmed shift, so the profile need not relearn it. */
  void shift(int slot, double delta) {
    references[slot] += delta;
  }

  /** Whether the bin of this hour has its minimum of samples (watched a day or not). */
  boolean filled(int slot, int hour, int minSamples) {
    return counts[slot * COUNT_STRIDE + hour] >= minSamples;
  }

  /** Whether the bin of this hour may judge: enough samples, and a full day watched. */
  boolean warm(int slot, int hour, long watchedMillis, Tuning tuning) {
    return watchedMillis >= DAY_MILLIS
        && counts[slot * COUNT_STRIDE + hour] >= tuning.seasonalMinSamples;
  }

  /**
   * The expected offset from the level at this hour and day. A day offset counts only once its day
   * has been watched for half a day, judged by the sampling interval.
   */
  double offset(int slot, int hour, int day, boolean weekly, double intervalMillis) {
    double offset = bins[slot * BIN_STRIDE + hour * BIN + MEAN];
    return weekly ? offset + dayOffset(slot, day, intervalMillis) : offset;
  }

  double deviation(int slot, int hour) {
    return Math.sqrt(bins[slot * BIN_STRIDE + hour * BIN + VARIANCE]);
  }

  /**
   * Teaches the reference level, the bin and the day the value's one-step residual.
   *
   * @param floor the smallest deviation used to clip residuals
   */
  void update(
      int slot,
      int hour,
      int day,
      double value,
      boolean weekly,
      double intervalMillis,
      double floor,
      boolean anomalous) {
    int b = slot * BIN_STRIDE + hour * BIN;
    int c = slot * COUNT_STRIDE + hour;
    double damping = anomalous ? ANOMALY_DAMPING : 1;
    double mean = bins[b + MEAN];
    double variance = bins[b + VARIANCE];
    int count = counts[c];
    double dayOffset = weekly ? dayOffset(slot, day, intervalMillis) : 0;
    double residual = value - references[slot] - mean - dayOffset;
    double limitSquared = CLIP * CLIP * Math.max(variance, floor * floor);
    if (count > 0 && residual * residual > limitSquared) {
      residual = Math.copySign(Math.sqrt(limitSquared), residual);
    }
    double binRate = damping * rate(count, DAILY_RATE_PER_MILLI * intervalMillis);
    references[slot] += steady(REFERENCE_RATE_PER_MILLI * intervalMillis) * residual;
    bins[b + MEAN] = (float) (mean + binRate * residual);
    bins[b + VARIANCE] = (float) (variance + binRate * (residual * residual - variance));
    counts[c] = (char) Math.min(count + 1, MAX_COUNT);
    if (weekly) {
      // Until the day counts, it learns the residual it would have left, not the one it left.
      learnDay(slot, day, residual + dayOffset, damping, intervalMillis);
    }
  }

  private void learnDay(
      int slot, int day, double offsetFromBin, double damping, double intervalMillis) {
    int d = slot * DAYS + day;
    int c = slot * COUNT_STRIDE + HOURS + day;
    int dayCount = counts[c];
    double dayRate = damping * rate(dayCount, WEEKLY_RATE_PER_MILLI * intervalMillis);
    days[d] = (float) (days[d] + dayRate * (offsetFromBin - days[d]));
    counts[c] = (char) Math.min(dayCount + 1, MAX_COUNT);
  }

  private double dayOffset(int slot, int day, double intervalMillis) {
    int dayCount = counts[slot * COUNT_STRIDE + HOURS + day];
    return dayCount * intervalMillis >= DAY_MILLIS / 2 ? days[slot * DAYS + day] : 0;
  }

  /** The per-point rate: the plain mean (1/n) until it falls below the steady rate. */
  private static double rate(int count, double steady) {
    double perPoint = steady(steady);
    return (count + 1) * perPoint < 1 ? 1.0 / (count + 1) : perPoint;
  }

  /** A per-point rate from a rate per unit of time; 0.05 while the interval is still unknown. */
  private static double steady(double perPoint) {
    return perPoint > 0 ? Math.min(perPoint, 0.5) : 0.05;
  }
}
