package dev.sentinel.app.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decodes a Prometheus remote-write 1.0 {@code WriteRequest} (already decompressed) into a {@link
 * PointBatch}: {@code __name__} becomes the metric name, every other label is kept.
 *
 * <p>Hand-decoded with {@link CodedInputStream} rather than generated classes: label bytes are read
 * in place and samples go straight into the batch's columns, so a known series costs no allocation
 * per label or sample. The messages read (from Prometheus' {@code prompb}): {@code WriteRequest {
 * repeated TimeSeries timeseries = 1; }}, {@code TimeSeries { repeated Label labels = 1; repeated
 * Sample samples = 2; repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }},
 * {@code Label { string name = 1; string value = 2; }}, {@code Sample { double value = 1; int64
 * timestamp = 2; }}, {@code WriteRequest.metadata = 3} of {@code MetricMetadata { MetricType type =
 * 1; string metric_family_name = 2; }}. Exemplars are skipped.
 *
 * <p>With {@code cumulativeAsRate} (the default of {@code server.cumulativeAsRate}), series are
 * read as what they are ({@link MetricFamilies}): a counter keeps its name and carries its rate per
 * second ({@link CumulativeRates#counter}; its first sample gives none, a drop is a restart from
 * zero); a histogram's {@code _bucket} series become {@code _p50}, {@code _p90}, {@code _p99} and
 * {@code _mean} ({@link ClassicHistograms}), its {@code _sum} and {@code _count} rates; gauges stay
 * as they are. The buckets themselves are not registered as series.
 *
 * <p>All or nothing, like the JSON decoder: one invalid series refuses the request (400, which
 * Prometheus drops rather than retries) naming every problem found. Not refused but skipped and
 * counted: staleness markers (Prometheus' NaN {@code 0x7ff0000000000002}, sent when a series
 * disappears), other NaN and infinite values (detectors need finite numbers), and native histograms
 * (not supported).
 */
public final class RemoteWriteDecoder {

  /** Prometheus' staleness marker: a NaN with this exact bit pattern ({@code value.StaleNaN}). */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private static final int MAX_LABEL_VALUE_LENGTH = 2048;

  /** What one request held besides its points. */
  public record Decoded(
      StagedPoints staged, int series, int staleMarkers, int nonFinite, int histograms) {

    /** The points, their new series registered (see {@link StagedPoints#commit}). */
    public PointBatch points() {
      return staged.commit();
    }
  }

  private final SeriesRegistry registry;
  private final Clock clock;
  private final boolean cumulativeAsRate;
  private final MetricFamilies families;
  private final CumulativeRates rates;
  private final ClassicHistograms classic;

  /** A decoder that passes every sample on as it is: counters and buckets raw. */
  public RemoteWriteDecoder(SeriesRegistry registry, Clock clock) {
    this(registry, clock, false, 1);
  }

  /**
   * @param cumulativeAsRate whether counters become rates and histograms quantiles
   * @param maxSeries how many counters, histograms and metric families to remember for that
   */
  public RemoteWriteDecoder(
      SeriesRegistry registry, Clock clock, boolean cumulativeAsRate, int maxSeries) {
    this.registry = registry;
    this.clock = clock;
    this.cumulativeAsRate = cumulativeAsRate;
    this.families = new MetricFamilies(maxSeries);
    this.rates = new CumulativeRates(maxSeries);
    this.classic = new ClassicHistograms(maxSeries);
  }

  /**
   * Decodes {@code body[0..length)}.
   *
   * @throws InvalidPointsException when the body is not a valid WriteRequest or any series is
   *     invalid; nothing is returned then
   */
  public Decoded decode(byte[] body, int length) {
    Decoding decoding = new Decoding(body, clock.millis());
    CodedInputStream in = CodedInputStream.newInstance(body, 0, length);
    int index = 0;
    try {
      if (cumulativeAsRate) {
        readMetadata(CodedInputStream.newInstance(body, 0, length));
      }
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == 0x0a) { // timeseries = 1, length-delimited
          int limit = in.pushLimit(in.readRawVarint32());
          decoding.readSeries(in, index++);
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw InvalidPointsException.of(
          index == 0 ? "body" : "timeseries[" + (index - 1) + "]",
          "not a valid remote-write WriteRequest (protobuf): " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array cannot fail", e);
    }
    if (decoding.errorCount > 0) {
      throw new InvalidPointsException(decoding.errors, decoding.errorCount);
    }
    decoding.undecided();
    // With every series valid, the new ones are registered once the bus takes the batch.
    return new Decoded(
        new StagedPoints(decoding.batch, decoding.pending),
        index,
        decoding.stale,
        decoding.nonFinite,
        decoding.histograms);
  }

  /**
   * Reads the metadata of a request (Prometheus sends it in requests of its own) before its series,
   * so that a type applies to the series of the same request too.
   */
  private void readMetadata(CodedInputStream in) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != 0x1a) { // metadata = 3, length-delimited
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      int type = 0;
      String family = null;
      int field;
      while ((field = in.readTag()) != 0) {
        switch (field) {
          case 0x08 -> type = in.readEnum(); // type = 1
          case 0x12 -> family = in.readStringRequireUtf8(); // metric_family_name = 2
          default -> in.skipField(field);
        }
      }
      in.popLimit(limit);
      if (family != null && !family.isEmpty()) {
        families.declare(family, type);
      }
    }
  }

  /** A series whose kind the request's later series may still tell: a {@code _sum} or count. */
  private record Undecided(
      int index, String name, TreeMap<String, String> labels, long[] times, double[] values) {}

  /** The state of decoding one request. */
  private final class Decoding implements ClassicHistograms.Output {
    final byte[] body;
    final long now;
    final PointBatch batch = new PointBatch(1024);
    final PendingSeries pending = new PendingSeries(registry);
    final SeriesInterner series = new SeriesInterner(pending);
    final List<PointError> errors = new ArrayList<>();
    int errorCount;
    int stale;
    int nonFinite;
    int histograms;
    // The current series' samples, held until its labels are all read (fields may come in any
    // order) and reused from series to series.
    long[] times = new long[64];
    double[] values = new double[64];
    int samples;
    List<Undecided> undecided;

    Decoding(byte[] body, long now) {
      this.body = body;
      this.now = now;
    }

    void error(int index, String field, String message) {
      errorCount++;
      if (errors.size() < JsonPointDecoder.MAX_REPORTED) {
        errors.add(new PointError(index, field, message));
      }
    }

    void readSeries(CodedInputStream in, int index) throws IOException {
      series.reset();
      samples = 0;
      int errorsBefore = errorCount;
      int labelIndex = 0;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case 0x0a -> { // labels = 1, length-delimited
            int limit = in.pushLimit(in.readRawVarint32());
            readLabel(in, index, labelIndex++);
            in.popLimit(limit);
          }
          case 0x12 -> { // samples = 2, length-delimited
            int limit = in.pushLimit(in.readRawVarint32());
            readSample(in);
            in.popLimit(limit);
          }
          case 0x22 -> { // histograms = 4: native histograms are not supported
            histograms++;
            in.skipField(tag);
          }
          default -> in.skipField(tag);
        }
      }
      String path = "timeseries[" + index + "]";
      if (!series.hasName() && errorCount == errorsBefore) {
        error(index, path + ".labels", "the series has no __name__ label");
      } else if (series.hasName() && !series.isMetricName()) {
        error(
            index,
            path + ".labels.__name__",
            "'"
                + abbreviate(series.nameText())
                + "' is not a metric name (letters, digits, '_', ':', '.'; not starting with a digit)");
      }
      for (int i = 0; i < samples; i++) {
        String problem = TimeBounds.check(times[i], now);
        if (problem != null) {
          error(index, path + ".samples[" + i + "].timestamp", problem);
          break;
        }
      }
      if (errorCount > errorsBefore || samples == 0) {
        return;
      }
      if (!cumulativeAsRate) {
        gauge(series.intern(), times, values, samples);
        return;
      }
      MetricFamilies.Kind kind = MetricFamilies.Kind.GAUGE;
      String name = null;
      // Most series are gauges with a plain name: those cost no string until metadata has come.
      if (!families.isEmpty() || MetricFamilies.mayNotBeGauge(series)) {
        name = series.nameText();
        kind = families.kind(name, series.labelValue("le") != null);
      }
      switch (kind) {
        case GAUGE -> gauge(series.intern(), times, values, samples);
        case COUNTER -> counter(series.intern(), times, values, samples, null, null, null);
        case CUMULATIVE_PART ->
            cumulativePart(name, series.labelMap(null), series.intern(), times, values, samples);
        case BUCKET -> bucket(index, name, series.labelValue("le"), series.labelMap("le"));
        case UNDECIDED -> {
          if (undecided == null) {
            undecided = new ArrayList<>();
          }
          undecided.add(
              new Undecided(
                  index,
                  name,
                  series.labelMap(null),
                  Arrays.copyOf(times, samples),
                  Arrays.copyOf(values, samples)));
        }
      }
    }

    /**
     * The {@code _sum} and {@code _count} series put aside: a bucket of their histogram later in
     * the request may have told what they are; else they are gauges.
     */
    void undecided() {
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
            rate(
                id,
                times[i],
                CumulativeRates.perSecond(times[i - 1], values[i - 1], times[i], values[i]),
                family,
                labels,
                part);
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
      if (part == null) {
        return;
      }
      if (part.equals("_sum")) {
        classic.sumRate(family, labels, millis, rate, this);
      } else {
        classic.countRate(family, labels, millis, rate, this);
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

    private void bucket(int index, String name, String le, TreeMap<String, String> labels) {
      double bound;
      try {
        bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      } catch (NumberFormatException e) {
        error(
            index,
            "timeseries[" + index + "].labels.le",
            "'" + abbreviate(le) + "' is not a bucket bound");
        return;
      }
      String family = MetricFamilies.family(name, "_bucket");
      families.sawBuckets(family);
      for (int i = 0; i < samples; i++) {
        classic.bucket(family, labels, times[i], bound, values[i], this);
      }
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

    private void readLabel(CodedInputStream in, int index, int labelIndex) throws IOException {
      int nameAt = -1;
      int nameLength = 0;
      int valueAt = -1;
      int valueLength = 0;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == 0x0a || tag == 0x12) {
          int length = in.readRawVarint32();
          int offset = in.getTotalBytesRead();
          in.skipRawBytes(length);
          int start = series.appendUtf8(body, offset, length);
          if (start < 0) {
            error(index, "timeseries[" + index + "].labels[" + labelIndex + "]", "not valid UTF-8");
            return;
          }
          int chars = series.usedSince(start); // UTF-8 may give fewer chars than bytes
          if (tag == 0x0a) {
            nameAt = start;
            nameLength = chars;
          } else {
            valueAt = start;
            valueLength = chars;
          }
        } else {
          in.skipField(tag);
        }
      }
      String path = "timeseries[" + index + "].labels[" + labelIndex + "]";
      if (nameAt < 0) {
        error(index, path, "a label has no name");
        return;
      }
      if (valueAt < 0) {
        valueAt = nameAt;
        valueLength = 0;
      }
      if (series.nameEquals(nameAt, nameLength, "__name__")) {
        series.name(valueAt, valueLength);
        return;
      }
      if (valueLength == 0) {
        return; // Prometheus: an empty label value is the same as no label
      }
      String label = series.text(nameAt, nameLength);
      if (!series.isLabelName(nameAt, nameLength)) {
        error(index, path, "'" + abbreviate(label) + "' is not a valid label name");
      } else if (valueLength > MAX_LABEL_VALUE_LENGTH) {
        error(index, path, "the value of '" + label + "' is longer than " + MAX_LABEL_VALUE_LENGTH);
      } else {
        String problem = series.label(nameAt, nameLength, valueAt, valueLength);
        if (problem != null) {
          error(index, path, problem);
        }
      }
    }

    private void readSample(CodedInputStream in) throws IOException {
      double value = 0;
      long timestamp = 0;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case 0x09 -> value = in.readDouble(); // value = 1, fixed64
          case 0x10 -> timestamp = in.readInt64(); // timestamp = 2, varint
          default -> in.skipField(tag);
        }
      }
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        if (Double.doubleToRawLongBits(value) == STALE_NAN_BITS) {
          stale++;
        } else {
          nonFinite++;
        }
        return;
      }
      if (samples == times.length) {
        times = Arrays.copyOf(times, samples * 2);
        values = Arrays.copyOf(values, samples * 2);
      }
      times[samples] = timestamp;
      values[samples] = value;
      samples++;
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
