package dev.sentinel.app.ingest;

import dev.sentinel.ingest.SeriesKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns Prometheus classic histograms, which remote write sends as one series per bucket ({@code
 * X_bucket{le="0.5"}}) plus {@code X_sum} and {@code X_count}, into what an SRE watches: {@code
 * X_p50}, {@code X_p90} and {@code X_p99} from the increase of every bucket since the previous
 * scrape (as {@code histogram_quantile(q, rate(X_bucket[..]))} would), and {@code X_mean}, the
 * increase of the sum over the increase of the count.
 *
 * <p>The buckets of one histogram (its labels without {@code le}) are gathered by timestamp, across
 * requests: Prometheus may shard them over several, and one request may hold several scrapes of a
 * series. At the end of each request ({@link #settle}) the scrapes gathered are settled, oldest
 * first: one that holds the same buckets as the scrape before gives its quantiles; the first of a
 * histogram, or one with other buckets (they changed, or some are still to come), becomes a
 * baseline once a later scrape has begun, and waits otherwise. A bucket that went down means the
 * counters restarted: the increase is then counted from zero, as Prometheus' {@code rate} does.
 *
 * <p>Bounded: past {@code maxHistograms} the least recently updated histogram is forgotten.
 * Thread-safe: every update takes the one lock, and emits under it.
 */
final class ClassicHistograms {

  static final double[] QUANTILES = {0.5, 0.9, 0.99};
  static final String[] SUFFIXES = {"_p50", "_p90", "_p99"};
  static final String MEAN = "_mean";

  /** Where the series derived from a histogram go: the batch of the request being decoded. */
  interface Output {
    void add(String name, SortedMap<String, String> labels, long millis, double value);
  }

  /** One histogram's state; the handle {@link #settle} takes. */
  static final class Histogram {
    private final String family;
    private final SortedMap<String, String> labels;
    // Scrapes gathered and not settled yet: time -> cumulative count by upper bound.
    private final TreeMap<Long, TreeMap<Double, Double>> gathering = new TreeMap<>();
    // The last settled scrape.
    private long lastTime = Long.MIN_VALUE;
    private double[] lastBounds;
    private double[] lastCounts;
    // The latest rates of X_sum and X_count, paired by time for the mean.
    private long sumTime = Long.MIN_VALUE;
    private double sumRate;
    private long countTime = Long.MIN_VALUE;
    private double countRate;

    private Histogram(String family, SortedMap<String, String> labels) {
      this.family = family;
      this.labels = labels;
    }
  }

  private final Map<String, Histogram> histograms;

  ClassicHistograms(int maxHistograms) {
    if (maxHistograms < 1) {
      throw new IllegalArgumentException("maxHistograms must be >= 1, was " + maxHistograms);
    }
    this.histograms =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Histogram> eldest) {
            return size() > maxHistograms;
          }
        };
  }

  private Histogram histogram(String family, SortedMap<String, String> labels) {
    return histograms.computeIfAbsent(
        SeriesKey.canonical(family, labels), key -> new Histogram(family, labels));
  }

  /**
   * One sample of bucket {@code le} (+Inf included) of histogram {@code family} with {@code labels}
   * (without {@code le}).
   *
   * @return the histogram, to {@link #settle} at the end of the request
   */
  synchronized Histogram bucket(
      String family, SortedMap<String, String> labels, long millis, double le, double cumulative) {
    Histogram histogram = histogram(family, labels);
    if (millis > histogram.lastTime) { // else older than a settled scrape: too late to use
      histogram.gathering.computeIfAbsent(millis, time -> new TreeMap<>()).put(le, cumulative);
    }
    return histogram;
  }

  /** Settles the scrapes of {@code histogram} that can be, oldest first (see the class comment). */
  synchronized void settle(Histogram histogram, Output output) {
    while (!histogram.gathering.isEmpty()) {
      Map.Entry<Long, TreeMap<Double, Double>> oldest = histogram.gathering.firstEntry();
      boolean complete =
          histogram.lastBounds != null
              && oldest.getValue().size() == histogram.lastBounds.length
              && sameBounds(oldest.getValue(), histogram.lastBounds);
      if (!complete && histogram.gathering.size() == 1) {
        return; // its other buckets may still come
      }
      histogram.gathering.pollFirstEntry();
      settle(histogram, oldest.getKey(), oldest.getValue(), complete, output);
    }
  }

  /**
   * The rate of {@code X_sum} at {@code millis}; gives {@code X_mean} once the count's is known.
   */
  synchronized void sumRate(
      String family, SortedMap<String, String> labels, long millis, double rate, Output output) {
    Histogram histogram = histogram(family, labels);
    histogram.sumTime = millis;
    histogram.sumRate = rate;
    mean(histogram, output);
  }

  /**
   * The rate of {@code X_count} at {@code millis}; gives {@code X_mean} once the sum's is known.
   */
  synchronized void countRate(
      String family, SortedMap<String, String> labels, long millis, double rate, Output output) {
    Histogram histogram = histogram(family, labels);
    histogram.countTime = millis;
    histogram.countRate = rate;
    mean(histogram, output);
  }

  synchronized int size() {
    return histograms.size();
  }

  private static void mean(Histogram histogram, Output output) {
    if (histogram.sumTime != histogram.countTime || histogram.sumTime == Long.MIN_VALUE) {
      return;
    }
    if (histogram.countRate > 0) {
      output.add(
          histogram.family + MEAN,
          histogram.labels,
          histogram.sumTime,
          histogram.sumRate / histogram.countRate);
    }
    histogram.sumTime = Long.MIN_VALUE;
    histogram.countTime = Long.MIN_VALUE;
  }

  private static boolean sameBounds(TreeMap<Double, Double> scrape, double[] bounds) {
    int i = 0;
    for (double le : scrape.keySet()) {
      if (Double.compare(le, bounds[i++]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Settles one scrape: its quantiles when {@code complete}, and the baseline of the next. */
  private static void settle(
      Histogram histogram,
      long time,
      TreeMap<Double, Double> scrape,
      boolean complete,
      Output output) {
    int size = scrape.size();
    double[] bounds = new double[size];
    double[] counts = new double[size];
    int i = 0;
    for (Map.Entry<Double, Double> bucket : scrape.entrySet()) {
      bounds[i] = bucket.getKey();
      counts[i++] = bucket.getValue();
    }
    if (complete) {
      double[] increase = new double[size];
      boolean reset = false;
      for (int b = 0; b < size; b++) {
        increase[b] = counts[b] - histogram.lastCounts[b];
        reset |= increase[b] < 0;
      }
      quantiles(histogram, time, bounds, reset ? counts : increase, output);
    }
    histogram.lastTime = time;
    histogram.lastBounds = bounds;
    histogram.lastCounts = counts;
  }

  /** The quantiles of cumulative bucket counts {@code cumulative} with upper bounds {@code le}. */
  private static void quantiles(
      Histogram histogram, long time, double[] le, double[] cumulative, Output output) {
    int size = le.length;
    if (size < 2 || le[size - 1] != Double.POSITIVE_INFINITY) {
      return; // no +Inf bucket: not a valid histogram, so no quantile (as in Prometheus)
    }
    double[] bounds = new double[size - 1];
    long[] counts = new long[size];
    double below = 0;
    for (int b = 0; b < size; b++) {
      if (b < size - 1) {
        bounds[b] = le[b];
      }
      // Buckets are cumulative; a non-monotonic one (buckets scraped at slightly different times)
      // counts as empty rather than negative.
      counts[b] = Math.round(Math.max(0, cumulative[b] - below));
      below = Math.max(below, cumulative[b]);
    }
    for (int q = 0; q < QUANTILES.length; q++) {
      double value =
          HistogramQuantiles.explicit(QUANTILES[q], bounds, counts, Double.NaN, Double.NaN);
      if (!Double.isNaN(value)) {
        output.add(histogram.family + SUFFIXES[q], histogram.labels, time, value);
      }
    }
  }
}
