package dev.sentinel.app.ingest;

import dev.sentinel.ingest.PointBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads Prometheus samples as what their series are ({@link MetricFamilies}): a counter keeps its
 * name and carries its rate per second ({@link CumulativeRates#counter}: its first sample gives
 * none, a drop is a restart from zero); a classic histogram's {@code _bucket} series become {@code
 * _p50}, {@code _p90}, {@code _p99} and {@code _mean} ({@link ClassicHistograms}) and are not
 * series themselves, its {@code _sum} and {@code _count} rates; gauges stay as they are.
 *
 * <p>Shared by the remote-write receiver and Kafka's {@code prometheus} format. Thread-safe: the
 * state across requests is behind the locks of its parts; a {@link Request} is one thread's.
 */
final class PrometheusSemantics {

  private final MetricFamilies families;
  private final CumulativeRates rates;
  private final ClassicHistograms histograms;

  /**
   * @param maxSeries how many counters, histograms and metric families to remember
   */
  PrometheusSemantics(int maxSeries) {
    this.families = new MetricFamilies(maxSeries);
    this.rates = new CumulativeRates(maxSeries);
    this.histograms = new ClassicHistograms(maxSeries);
  }

  /** Records a family's type from remote write's metadata. */
  void declare(String family, int metadataType) {
    families.declare(family, metadataType);
  }

  /** The samples of one request, added to {@code batch} as what they are. */
  Request request(SeriesInterner series, PendingSeries pending, PointBatch batch) {
    return new Request(series, pending, batch);
  }

  /** A series whose kind a later series of the request may still tell: a {@code _sum} or count. */
  private record Undecided(
      String name, TreeMap<String, String> labels, long[] times, double[] values) {}

  /** One request's samples. One thread's. */
  final class Request implements ClassicHistograms.Output {
    private final SeriesInterner series;
    private final PendingSeries pending;
    private final PointBatch batch;
    private List<Undecided> undecided;
    // The histograms this request gave buckets of, to settle at its end.
    private final Set<ClassicHistograms.Histogram> touched = new LinkedHashSet<>();

    private Request(SeriesInterner series, PendingSeries pending, PointBatch batch) {
      this.series = series;
      this.pending = pending;
      this.batch = batch;
    }

    /**
     * Adds the samples of the series {@code series} holds, named and labelled and valid.
     *
     * @return null, or why the series was refused (an {@code le} that is not a number)
     */
    String add(long[] times, double[] values, int count) {
      MetricFamilies.Kind kind = MetricFamilies.Kind.GAUGE;
      String name = null;
      // Most series are gauges with a plain name: those cost no string until metadata has come.
      if (!families.isEmpty() || MetricFamilies.mayNotBeGauge(series)) {
        name = series.nameText();
        kind = families.kind(name, series.labelValue("le") != null);
      }
      switch (kind) {
        case GAUGE -> gauge(series.intern(), times, values, count);
        case COUNTER -> counter(series.intern(), times, values, count, null, null, null);
        case CUMULATIVE_PART ->
            cumulativePart(name, series.labelMap(null), series.intern(), times, values, count);
        case BUCKET -> {
          return bucket(name, series.labelValue("le"), series.labelMap("le"), times, values, count);
        }
        case UNDECIDED -> {
          if (undecided == null) {
            undecided = new ArrayList<>();
          }
          undecided.add(
              new Undecided(
                  name,
                  series.labelMap(null),
                  Arrays.copyOf(times, count),
                  Arrays.copyOf(values, count)));
        }
      }
      return null;
    }

    /**
     * Settles the histograms whose buckets came, and adds the {@code _sum} and {@code _count}
     * series put aside: a bucket of their histogram later in the request may have told what they
     * are; else they are gauges. Call once, at the end of the request.
     */
    void finish() {
      for (ClassicHistograms.Histogram histogram : touched) {
        histograms.settle(histogram, this);
      }
      touched.clear();
      if (undecided == null) {
        return;
      }
      for (Undecided one : undecided) {
        series.reset();
        series.name(one.name());
        one.labels().forEach(series::putLabel);
        int id = series.intern();
        int count = one.times().length;
        if (families.kind(one.name(), false) == MetricFamilies.Kind.CUMULATIVE_PART) {
          cumulativePart(one.name(), one.labels(), id, one.times(), one.values(), count);
        } else {
          gauge(id, one.times(), one.values(), count);
        }
      }
      undecided = null;
    }

    private void gauge(int id, long[] times, double[] values, int count) {
      for (int i = 0; i < count; i++) {
        batch.add(id, times[i], values[i]);
      }
    }

    /**
     * Adds the rates of a counter; with a {@code family}, also hands each rate of its {@code _sum}
     * or {@code _count} to the histogram for the mean.
     */
    private void counter(
        int id,
        long[] times,
        double[] values,
        int count,
        String family,
        TreeMap<String, String> labels,
        String part) {
      if (PendingSeries.isProvisional(id)) {
        // A new series: its samples in this request give rates from one to the next, and the last
        // becomes its baseline once the series is registered (a request refused keeps none).
        for (int i = 1; i < count; i++) {
          if (times[i] > times[i - 1]) {
            double rate =
                CumulativeRates.perSecond(times[i - 1], values[i - 1], times[i], values[i]);
            rate(id, times[i], rate, family, labels, part);
          }
        }
        long lastTime = times[count - 1];
        double lastValue = values[count - 1];
        pending.whenRegistered(id, real -> rates.counter(real, lastTime, lastValue));
        return;
      }
      for (int i = 0; i < count; i++) {
        rate(id, times[i], rates.counter(id, times[i], values[i]), family, labels, part);
      }
    }

    private void rate(
        int id,
        long millis,
        double rate,
        String family,
        TreeMap<String, String> labels,
        String part) {
      if (Double.isNaN(rate)) {
        return;
      }
      batch.add(id, millis, rate);
      if ("_sum".equals(part)) {
        histograms.sumRate(family, labels, millis, rate, this);
      } else if ("_count".equals(part)) {
        histograms.countRate(family, labels, millis, rate, this);
      }
    }

    private void cumulativePart(
        String name,
        TreeMap<String, String> labels,
        int id,
        long[] times,
        double[] values,
        int count) {
      String part = name.endsWith("_sum") ? "_sum" : "_count";
      counter(id, times, values, count, MetricFamilies.family(name, part), labels, part);
    }

    private String bucket(
        String name,
        String le,
        TreeMap<String, String> labels,
        long[] times,
        double[] values,
        int count) {
      double bound;
      try {
        bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      } catch (NumberFormatException e) {
        return "'" + RemoteWriteDecoder.abbreviate(le) + "' is not a bucket bound";
      }
      String family = MetricFamilies.family(name, "_bucket");
      families.sawBuckets(family);
      for (int i = 0; i < count; i++) {
        touched.add(histograms.bucket(family, labels, times[i], bound, values[i]));
      }
      return null;
    }

    /** A series derived from a histogram (a quantile or the mean), into this request's batch. */
    @Override
    public void add(String name, SortedMap<String, String> labels, long millis, double value) {
      if (!Double.isFinite(value)) {
        return;
      }
      series.reset();
      series.name(name);
      labels.forEach(series::putLabel);
      batch.add(series.intern(), millis, value);
    }
  }
}
