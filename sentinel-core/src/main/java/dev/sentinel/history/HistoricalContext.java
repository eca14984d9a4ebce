package dev.sentinel.history;

import dev.sentinel.ingest.SeriesKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers "is this value normal for this time of the week?" from the telemetry store: the same time
 * of day on the same weekday over the last weeks, or, when a series is younger than that, on each
 * of the last days. Used by the analyst (is this spike just Monday 09:00?) and the API.
 *
 * <p>Never throws for a store problem: an unavailable or failing store gives {@link
 * Judgement.Unavailable} with the reason, so analysis degrades to the detectors' in-memory view and
 * says so. Thread-safe when the store is.
 */
public final class HistoricalContext {

  /** Fewer points than this at that time of day say nothing about what is usual. */
  static final int MIN_POINTS = 10;

  private final TelemetryStore store;
  private final int weeks;
  private final String unavailableReason;

  private HistoricalContext(TelemetryStore store, int weeks, String unavailableReason) {
    if (weeks < 1 || weeks > 520) {
      throw new IllegalArgumentException("weeks must be 1..520, was " + weeks);
    }
    this.store = store;
    this.weeks = weeks;
    this.unavailableReason = unavailableReason;
  }

  /** Judges from {@code store}, over the same weekday of the last {@code weeks} weeks. */
  public static HistoricalContext of(TelemetryStore store, int weeks) {
    return new HistoricalContext(store, weeks, null);
  }

  /** No store: every judgement is {@link Judgement.Unavailable} with {@code reason}. */
  public static HistoricalContext unavailable(String reason) {
    return new HistoricalContext(null, 1, reason);
  }

  /** What history says of a value. */
  public sealed interface Judgement {
    /** One sentence for a person. */
    String text();

    /** The value is within what the series usually does at that time. */
    record Usual(Baseline baseline, String text) implements Judgement {}

    /** The value is outside what the series usually does at that time. */
    record Unusual(Baseline baseline, String text) implements Judgement {}

    /** The store answered, but holds too little of the series at that time to tell. */
    record NotEnoughHistory(String text) implements Judgement {}

    /** No store, or it failed: the reason. */
    record Unavailable(String text) implements Judgement {}
  }

  /**
   * Whether {@code value} at {@code atMillis} is usual for that series at that time. A value above
   * the usual range is judged against the 99th percentile; one below it against the median minus
   * the spread from median to 99th percentile (the stores keep upper percentiles only).
   *
   * @param above whether the value left its expected range upwards
   */
  public Judgement judge(SeriesKey series, long atMillis, double value, boolean above) {
    if (store == null) {
      return new Judgement.Unavailable(unavailableReason);
    }
    try {
      String when = describeTime(atMillis);
      Optional<Baseline> weekly = store.baseline(series, BaselineQuery.weekly(atMillis, weeks));
      String basis = "the same time on the last " + weeks + " " + weekday(atMillis) + "s";
      Baseline baseline = weekly.filter(b -> b.count() >= MIN_POINTS).orElse(null);
      if (baseline == null) {
        int days = Math.min(7, weeks * 7);
        baseline =
            store
                .baseline(series, BaselineQuery.daily(atMillis, days))
                .filter(b -> b.count() >= MIN_POINTS)
                .orElse(null);
        basis = "the same time on each of the last " + days + " days";
      }
      if (baseline == null) {
        return new Judgement.NotEnoughHistory(
            "not enough history of " + series + " around " + when + " to tell what is usual");
      }
      double low = baseline.p50() - (baseline.p99() - baseline.p50());
      boolean usual = above ? value <= baseline.p99() : value >= low;
      String text =
          String.format(
              Locale.ROOT,
              "%s = %.4g is %s for %s: %s ran median %.4g, p99 %.4g (%d points)",
              series,
              value,
              usual ? "usual" : "unusual",
              when,
              basis,
              baseline.p50(),
              baseline.p99(),
              baseline.count());
      return usual ? new Judgement.Usual(baseline, text) : new Judgement.Unusual(baseline, text);
    } catch (TelemetryStoreException | IllegalArgumentException e) {
      return new Judgement.Unavailable("the telemetry store could not answer: " + e.getMessage());
    }
  }

  /** E.g. {@code Monday 09:00 UTC}. */
  static String describeTime(long atMillis) {
    ZonedDateTime time = Instant.ofEpochMilli(atMillis).atZone(ZoneOffset.UTC);
    return String.format(
        Locale.ROOT, "%s %02d:%02d UTC", weekday(atMillis), time.getHour(), time.getMinute());
  }

  private static String weekday(long atMillis) {
    return Instant.ofEpochMilli(atMillis)
        .atZone(ZoneOffset.UTC)
        .getDayOfWeek()
        .getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }
}
