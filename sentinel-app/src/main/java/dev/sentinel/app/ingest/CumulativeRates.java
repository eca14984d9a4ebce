package dev.sentinel.app.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns cumulative counters (OTLP monotonic sums, histogram and summary counts) into rates per
 * second, from the previous value of the same series and start time. Detectors see a steady rate
 * where the raw counter only grows.
 *
 * <p>The first value of a series (or of a new start time: the counter restarted) gives no rate,
 * only a baseline; so does a value lower than the previous one (a reset the sender did not announce
 * with a new start time) and one no later than the previous. The memory is bounded: past {@code
 * maxSeries} the least recently updated series is forgotten, and its next value is a baseline
 * again.
 *
 * <p>Thread-safe: requests for the same series may arrive concurrently, so every update takes the
 * one lock (cheap next to decoding the protobuf that carried the value).
 */
final class CumulativeRates {

  private static final class Previous {
    long startNanos;
    // Nanoseconds for OTLP, milliseconds for Prometheus counters: one instance serves one receiver.
    long time;
    double value;
    long[] buckets;
  }

  // Counters and histogram buckets apart: a histogram's count and buckets share its series id.
  private final Map<Integer, Previous> previous;
  private final Map<Integer, Previous> previousBuckets;

  CumulativeRates(int maxSeries) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be >= 1, was " + maxSeries);
    }
    this.previous = bounded(maxSeries);
    this.previousBuckets = bounded(maxSeries);
  }

  private static Map<Integer, Previous> bounded(int maxSeries) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Previous> eldest) {
        return size() > maxSeries;
      }
    };
  }

  /** The rate per second since the previous value of the series, or NaN when there is none. */
  synchronized double rate(int seriesId, long startNanos, long timeNanos, double value) {
    Previous last = previous.get(seriesId);
    if (last == null) {
      last = new Previous();
      previous.put(seriesId, last);
    } else if (last.startNanos == startNanos && timeNanos > last.time && value >= last.value) {
      double rate = (value - last.value) / ((timeNanos - last.time) / 1e9);
      remember(last, startNanos, timeNanos, value);
      return rate;
    } else if (timeNanos <= last.time && last.startNanos == startNanos) {
      return Double.NaN; // a repeat or an older value: keep the newer baseline
    }
    remember(last, startNanos, timeNanos, value);
    return Double.NaN;
  }

  /**
   * The rate per second of a Prometheus counter, which carries no start time, since its previous
   * sample; NaN for the first sample of the series and for one no later than the previous. A value
   * lower than the previous one means the counter restarted from zero, so the increase is the value
   * itself (Prometheus' {@code rate} reads a reset the same way).
   */
  synchronized double counter(int seriesId, long millis, double value) {
    Previous last = previous.get(seriesId);
    if (last == null) {
      last = new Previous();
      previous.put(seriesId, last);
    } else if (millis <= last.time) {
      return Double.NaN; // a repeat or an older sample: keep the newer baseline
    } else {
      double rate = perSecond(last.time, last.value, millis, value);
      remember(last, 0, millis, value);
      return rate;
    }
    remember(last, 0, millis, value);
    return Double.NaN;
  }

  /** The rate of a counter from one sample to a later one, a drop read as a restart from zero. */
  static double perSecond(long fromMillis, double from, long toMillis, double to) {
    double increase = to >= from ? to - from : to;
    return increase / ((toMillis - fromMillis) / 1e3);
  }

  /**
   * The per-bucket increase of a cumulative histogram since its previous point, or null when there
   * is no previous point to compare with (first point, restart, reset, or changed buckets).
   */
  synchronized long[] bucketIncrease(
      int seriesId, long startNanos, long timeNanos, long[] buckets) {
    Previous last = previousBuckets.get(seriesId);
    long[] increase = null;
    if (last == null) {
      last = new Previous();
      previousBuckets.put(seriesId, last);
    } else if (last.startNanos == startNanos
        && timeNanos > last.time
        && last.buckets != null
        && last.buckets.length == buckets.length) {
      increase = new long[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        increase[i] = buckets[i] - last.buckets[i];
        if (increase[i] < 0) {
          increase = null;
          break;
        }
      }
    } else if (timeNanos <= last.time && last.startNanos == startNanos) {
      return null;
    }
    remember(last, startNanos, timeNanos, 0);
    last.buckets = buckets.clone();
    return increase;
  }

  private static void remember(Previous last, long startNanos, long timeNanos, double value) {
    last.startNanos = startNanos;
    last.time = timeNanos;
    last.value = value;
  }

  synchronized int size() {
    return previous.size() + previousBuckets.size();
  }
}
