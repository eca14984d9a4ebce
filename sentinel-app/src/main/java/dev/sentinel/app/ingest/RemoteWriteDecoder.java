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
import java.util.Optional;

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
 * read as what they are ({@link PrometheusSemantics}): counters as rates per second, classic
 * histograms as quantiles and a mean, gauges as they are.
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
  private final Optional<PrometheusSemantics> semantics;

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
    this.semantics =
        cumulativeAsRate ? Optional.of(new PrometheusSemantics(maxSeries)) : Optional.empty();
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
      if (semantics.isPresent()) {
        readMetadata(CodedInputStream.newInstance(body, 0, length), semantics.get());
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
    decoding.semantics.ifPresent(PrometheusSemantics.Request::finish);
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
  private static void readMetadata(CodedInputStream in, PrometheusSemantics semantics)
      throws IOException {
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
        semantics.declare(family, type);
      }
    }
  }

  /** The state of decoding one request. */
  private final class Decoding {
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
    // Counters as rates, histograms as quantiles; empty when samples pass as they are.
    final Optional<PrometheusSemantics.Request> semantics;

    Decoding(byte[] body, long now) {
      this.body = body;
      this.now = now;
      this.semantics =
          RemoteWriteDecoder.this.semantics.map(all -> all.request(series, pending, batch));
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
      if (semantics.isEmpty()) {
        int id = series.intern();
        for (int i = 0; i < samples; i++) {
          batch.add(id, times[i], values[i]);
        }
        return;
      }
      String problem = semantics.get().add(times, values, samples);
      if (problem != null) {
        error(index, path + ".labels.le", problem);
      }
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
