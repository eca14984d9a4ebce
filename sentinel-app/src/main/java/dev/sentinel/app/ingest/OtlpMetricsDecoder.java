package dev.sentinel.app.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an OTLP {@code ExportMetricsServiceRequest}, protobuf or OTLP JSON, into points.
 *
 * <ul>
 *   <li>Gauges: one point per data point.
 *   <li>Sums: monotonic cumulative sums become rates per second when {@code cumulativeAsRate} is on
 *       ({@link CumulativeRates}; the first value of a series only sets the baseline), else raw
 *       values; delta and non-monotonic sums stay raw.
 *   <li>Histograms (explicit and exponential): {@code <name>_count} and {@code <name>_sum} (rates
 *       like a cumulative sum), {@code <name>_mean} (the sum over the count: with rates, of the
 *       last interval), and {@code <name>_p50}, {@code <name>_p90}, {@code <name>_p99} estimated
 *       from the buckets ({@link HistogramQuantiles}). With rates on, the quantiles of a cumulative
 *       explicit histogram describe the last interval (the increase of each bucket); else
 *       everything since its start time.
 *   <li>Summaries: {@code <name>_count}, {@code <name>_sum}, {@code <name>_mean} and one {@code
 *       <name>_pNN} per quantile.
 * </ul>
 *
 * <p>Labels: resource attributes ({@code service.name} as {@code service}, the others with every
 * character outside {@code [a-zA-Z0-9_]} as {@code _}), overridden by the data point's attributes.
 * Metric names keep {@code [a-zA-Z0-9_:.]} and map other characters to {@code _}.
 *
 * <p>Not all or nothing, as OTLP's partial success allows: a data point that cannot become a point
 * (no value, no or an implausible time, too many labels) is rejected and named while the rest is
 * kept; a body that cannot be parsed is refused whole. Data points flagged "no recorded value" and
 * non-finite values are skipped and counted, not rejected.
 */
public final class OtlpMetricsDecoder {

  private static final int MAX_REPORTED = 10;
  // The same quantiles and names as remote write's classic histograms.
  private static final double[] HISTOGRAM_QUANTILES = ClassicHistograms.QUANTILES;
  private static final String[] HISTOGRAM_SUFFIXES = ClassicHistograms.SUFFIXES;

  /** The points decoded, and what was left out. */
  public record Decoded(StagedPoints staged, int rejected, int skipped, List<String> problems) {

    /** The points, their new series registered (see {@link StagedPoints#commit}). */
    public PointBatch points() {
      return staged.commit();
    }

    /** The partial-success message: what was rejected, first few named. */
    public String rejectionMessage() {
      return rejected + " data point(s) rejected: " + String.join("; ", problems);
    }
  }

  /** The id of no series: the point was rejected (provisional ids are -2 and below). */
  private static final int NONE = -1;

  private final SeriesRegistry registry;
  private final Clock clock;
  private final CumulativeRates rates;

  /**
   * @param cumulativeAsRate whether monotonic cumulative sums and counts become rates per second
   * @param maxRateSeries how many series' previous values to remember for those rates
   */
  public OtlpMetricsDecoder(
      SeriesRegistry registry, Clock clock, boolean cumulativeAsRate, int maxRateSeries) {
    this.registry = registry;
    this.clock = clock;
    this.rates = cumulativeAsRate ? new CumulativeRates(maxRateSeries) : null;
  }

  /** Parses a protobuf body; a body that is not an ExportMetricsServiceRequest is refused. */
  public static ExportMetricsServiceRequest parseProtobuf(byte[] body) {
    try {
      return ExportMetricsServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw InvalidPointsException.of(
          "body", "not a valid ExportMetricsServiceRequest (protobuf): " + e.getMessage());
    }
  }

  /**
   * Parses an OTLP JSON body (camelCase or snake_case field names, 64-bit integers as strings or
   * numbers, enums as numbers). Unknown fields are ignored, as the OTLP JSON mapping requires.
   * Trace and span ids of exemplars are hex in OTLP JSON, not base64; exemplars are not used here.
   */
  public static ExportMetricsServiceRequest parseJson(String body) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(body, request);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw InvalidPointsException.of(
          "body", "not a valid OTLP JSON ExportMetricsServiceRequest: " + e.getMessage());
    }
    return request.build();
  }

  public Decoded decode(ExportMetricsServiceRequest request) {
    Decoding decoding = new Decoding(clock.millis());
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      List<String[]> resourceLabels =
          OtlpLabels.resource(resource.getResource().getAttributesList());
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          decoding.metric(metric, resourceLabels);
        }
      }
    }
    return new Decoded(
        new StagedPoints(decoding.batch, decoding.pending),
        decoding.rejected,
        decoding.skipped,
        decoding.problems);
  }

  /** The state of decoding one request. */
  private final class Decoding {
    final long now;
    final PointBatch batch = new PointBatch(256);
    final PendingSeries pending = new PendingSeries(registry);
    final SeriesInterner series = new SeriesInterner(pending);
    final List<String> problems = new ArrayList<>();
    int rejected;
    int skipped;

    Decoding(long now) {
      this.now = now;
    }

    void reject(int points, String metric, String problem) {
      rejected += points;
      if (problems.size() < MAX_REPORTED) {
        problems.add("metric '" + metric + "': " + problem);
      }
    }

    void metric(Metric metric, List<String[]> resource) {
      String name = OtlpLabels.metricName(metric.getName());
      if (name.isEmpty()) {
        reject(dataPoints(metric), "", "a metric has no name");
        return;
      }
      switch (metric.getDataCase()) {
        case GAUGE -> {
          for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
            number(name, point, resource, false);
          }
        }
        case SUM -> {
          var sum = metric.getSum();
          boolean rate =
              rates != null
                  && sum.getIsMonotonic()
                  && sum.getAggregationTemporality()
                      == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
          for (NumberDataPoint point : sum.getDataPointsList()) {
            number(name, point, resource, rate);
          }
        }
        case HISTOGRAM -> {
          boolean cumulative =
              metric.getHistogram().getAggregationTemporality()
                  == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
          for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
            histogram(name, point, resource, cumulative);
          }
        }
        case EXPONENTIAL_HISTOGRAM -> {
          boolean cumulative =
              metric.getExponentialHistogram().getAggregationTemporality()
                  == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
          for (ExponentialHistogramDataPoint point :
              metric.getExponentialHistogram().getDataPointsList()) {
            exponential(name, point, resource, cumulative);
          }
        }
        case SUMMARY -> {
          for (SummaryDataPoint point : metric.getSummary().getDataPointsList()) {
            summary(name, point, resource);
          }
        }
        case DATA_NOT_SET -> reject(1, name, "the metric has no gauge, sum, histogram or summary");
      }
    }

    private void number(String name, NumberDataPoint point, List<String[]> resource, boolean rate) {
      if (noRecordedValue(point.getFlags())) {
        return;
      }
      double value;
      switch (point.getValueCase()) {
        case AS_DOUBLE -> value = point.getAsDouble();
        case AS_INT -> value = point.getAsInt();
        default -> {
          reject(1, name, "a data point has neither asDouble nor asInt");
          return;
        }
      }
      long millis = time(name, point.getTimeUnixNano());
      int id = millis < 0 ? NONE : labelled(name, name, resource, point.getAttributesList());
      if (id == NONE) {
        return;
      }
      if (rate) {
        addRate(id, millis, rate(id, point.getStartTimeUnixNano(), point.getTimeUnixNano(), value));
      } else {
        add(id, millis, value);
      }
    }

    private void histogram(
        String name, HistogramDataPoint point, List<String[]> resource, boolean cumulative) {
      if (noRecordedValue(point.getFlags())) {
        return;
      }
      long millis = time(name, point.getTimeUnixNano());
      if (millis < 0) {
        return;
      }
      long[] counts = new long[point.getBucketCountsCount()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = point.getBucketCounts(i);
      }
      double[] bounds = new double[point.getExplicitBoundsCount()];
      for (int i = 0; i < bounds.length; i++) {
        bounds[i] = point.getExplicitBounds(i);
      }
      if (counts.length > 0 && counts.length != bounds.length + 1) {
        reject(
            1,
            name,
            "a histogram has "
                + counts.length
                + " bucket counts for "
                + bounds.length
                + " bounds (expected bounds + 1)");
        return;
      }
      long start = point.getStartTimeUnixNano();
      long time = point.getTimeUnixNano();
      int countId =
          countAndSum(
              name,
              resource,
              point.getAttributesList(),
              millis,
              start,
              time,
              point.getCount(),
              point.hasSum() ? point.getSum() : Double.NaN,
              cumulative);
      if (countId == NONE) {
        return;
      }
      if (cumulative && rates != null) {
        counts = bucketIncrease(countId, start, time, counts);
        if (counts == null) {
          return; // the first point of a cumulative histogram sets the baseline of its buckets
        }
      }
      // Over an interval, min and max (which cover all time) would clamp the estimate wrongly.
      boolean interval = cumulative && rates != null;
      double min = point.hasMin() && !interval ? point.getMin() : Double.NaN;
      double max = point.hasMax() && !interval ? point.getMax() : Double.NaN;
      for (int q = 0; q < HISTOGRAM_QUANTILES.length; q++) {
        double value =
            HistogramQuantiles.explicit(HISTOGRAM_QUANTILES[q], bounds, counts, min, max);
        quantile(
            name + HISTOGRAM_SUFFIXES[q], name, resource, point.getAttributesList(), millis, value);
      }
    }

    private void exponential(
        String name,
        ExponentialHistogramDataPoint point,
        List<String[]> resource,
        boolean cumulative) {
      if (noRecordedValue(point.getFlags())) {
        return;
      }
      long millis = time(name, point.getTimeUnixNano());
      if (millis < 0
          || countAndSum(
                  name,
                  resource,
                  point.getAttributesList(),
                  millis,
                  point.getStartTimeUnixNano(),
                  point.getTimeUnixNano(),
                  point.getCount(),
                  point.hasSum() ? point.getSum() : Double.NaN,
                  cumulative)
              == NONE) {
        return;
      }
      long[] positive = toArray(point.getPositive().getBucketCountsList());
      long[] negative = toArray(point.getNegative().getBucketCountsList());
      double min = point.hasMin() ? point.getMin() : Double.NaN;
      double max = point.hasMax() ? point.getMax() : Double.NaN;
      for (int q = 0; q < HISTOGRAM_QUANTILES.length; q++) {
        double value =
            HistogramQuantiles.exponential(
                HISTOGRAM_QUANTILES[q],
                point.getScale(),
                point.getZeroCount(),
                point.getPositive().getOffset(),
                positive,
                point.getNegative().getOffset(),
                negative,
                min,
                max);
        quantile(
            name + HISTOGRAM_SUFFIXES[q], name, resource, point.getAttributesList(), millis, value);
      }
    }

    private void summary(String name, SummaryDataPoint point, List<String[]> resource) {
      if (noRecordedValue(point.getFlags())) {
        return;
      }
      long millis = time(name, point.getTimeUnixNano());
      // A summary's count and sum are cumulative by definition.
      if (millis < 0
          || countAndSum(
                  name,
                  resource,
                  point.getAttributesList(),
                  millis,
                  point.getStartTimeUnixNano(),
                  point.getTimeUnixNano(),
                  point.getCount(),
                  point.getSum(),
                  true)
              == NONE) {
        return;
      }
      for (SummaryDataPoint.ValueAtQuantile quantile : point.getQuantileValuesList()) {
        String suffix =
            "_p"
                + BigDecimal.valueOf(quantile.getQuantile() * 100)
                    .stripTrailingZeros()
                    .toPlainString()
                    .replace('.', '_');
        quantile(
            name + suffix, name, resource, point.getAttributesList(), millis, quantile.getValue());
      }
    }

    /**
     * Adds {@code <name>_count} and, unless {@code sum} is NaN (absent), {@code <name>_sum} (rates
     * when cumulative and rates are on) and {@code <name>_mean}.
     *
     * @return the id of the count series, or -1 when the point was rejected
     */
    private int countAndSum(
        String name,
        List<String[]> resource,
        List<KeyValue> attributes,
        long millis,
        long start,
        long time,
        long count,
        double sum,
        boolean cumulative) {
      int countId = labelled(name + "_count", name, resource, attributes);
      if (countId == NONE) {
        return NONE;
      }
      boolean asRates = cumulative && rates != null;
      double countValue = asRates ? rate(countId, start, time, count) : count;
      addRate(countId, millis, countValue);
      if (Double.isNaN(sum)) {
        return countId;
      }
      int sumId = labelled(name + "_sum", name, resource, attributes);
      double sumValue = asRates && sumId != NONE ? rate(sumId, start, time, sum) : sum;
      addRate(sumId, millis, sumValue);
      // The mean of the interval: sum and count share it, so their rates divide as increases do.
      if (countValue > 0 && !Double.isNaN(sumValue)) {
        add(labelled(name + "_mean", name, resource, attributes), millis, sumValue / countValue);
      }
      return countId;
    }

    private void quantile(
        String series,
        String metric,
        List<String[]> resource,
        List<KeyValue> attributes,
        long millis,
        double value) {
      if (Double.isNaN(value)) {
        return; // no observation: no quantile
      }
      add(labelled(series, metric, resource, attributes), millis, value);
    }

    private boolean noRecordedValue(int flags) {
      if ((flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0) {
        skipped++;
        return true;
      }
      return false;
    }

    /** Epoch milliseconds of a data point's time, or -1 when it is rejected. */
    private long time(String metric, long nanos) {
      if (nanos == 0) {
        reject(1, metric, "a data point has no timeUnixNano");
        return -1;
      }
      long millis = nanos / 1_000_000;
      String problem = TimeBounds.check(millis, now);
      if (problem != null) {
        reject(1, metric, problem.replace("timestamp", "timeUnixNano (as milliseconds)"));
        return -1;
      }
      return millis;
    }

    /**
     * The id of {@code series} with the resource's and the point's labels, or {@link #NONE} if
     * rejected.
     */
    private int labelled(
        String seriesName, String metric, List<String[]> resource, List<KeyValue> attributes) {
      series.reset();
      series.name(seriesName);
      for (String[] label : resource) {
        String problem = series.putLabel(label[0], label[1]);
        if (problem != null) {
          reject(1, metric, problem);
          return NONE;
        }
      }
      for (KeyValue attribute : attributes) {
        if (attribute.getValue().getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET) {
          continue; // an empty attribute is no label, as an empty Prometheus label value
        }
        String problem =
            series.putLabel(
                OtlpLabels.labelName(attribute.getKey()), OtlpLabels.text(attribute.getValue()));
        if (problem != null) {
          reject(1, metric, problem);
          return NONE;
        }
      }
      return series.intern();
    }

    /** A rate is NaN while its series has only a baseline: nothing to report yet. */
    private void addRate(int id, long millis, double rate) {
      if (!Double.isNaN(rate)) {
        add(id, millis, rate);
      }
    }

    /**
     * The rate of a cumulative value; NaN for a series new to the registry, whose baseline is kept
     * once the batch is published and the series registered (see {@link PendingSeries}).
     */
    private double rate(int id, long startNanos, long timeNanos, double value) {
      if (PendingSeries.isProvisional(id)) {
        pending.whenRegistered(id, real -> rates.rate(real, startNanos, timeNanos, value));
        return Double.NaN;
      }
      return rates.rate(id, startNanos, timeNanos, value);
    }

    /** As {@link #rate}, for a cumulative histogram's buckets: null while there is no baseline. */
    private long[] bucketIncrease(int id, long startNanos, long timeNanos, long[] buckets) {
      if (PendingSeries.isProvisional(id)) {
        pending.whenRegistered(
            id, real -> rates.bucketIncrease(real, startNanos, timeNanos, buckets));
        return null;
      }
      return rates.bucketIncrease(id, startNanos, timeNanos, buckets);
    }

    private void add(int id, long millis, double value) {
      if (id == NONE) {
        return;
      }
      if (!Double.isFinite(value)) {
        skipped++;
        return;
      }
      batch.add(id, millis, value);
    }
  }

  private static int dataPoints(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 1;
    };
  }

  private static long[] toArray(List<Long> counts) {
    long[] array = new long[counts.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = counts.get(i);
    }
    return array;
  }
}
