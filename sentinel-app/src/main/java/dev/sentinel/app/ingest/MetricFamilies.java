package dev.sentinel.app.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What kind of metric a Prometheus series is: from the metadata Prometheus sends in remote write
 * ({@code WriteRequest.metadata}, field 3: a family name and its type), else from the naming
 * conventions Prometheus and OpenMetrics set.
 *
 * <ul>
 *   <li>A family typed COUNTER is a counter; so is a series named {@code *_total} whose family has
 *       no other type.
 *   <li>{@code X_bucket} with an {@code le} label is a bucket of the classic histogram {@code X},
 *       unless {@code X} is typed otherwise.
 *   <li>{@code X_sum} and {@code X_count} are cumulative (counted like counters) when {@code X} is
 *       a histogram or a summary: typed so, or seen with buckets. Otherwise the name alone does not
 *       tell, and they stay gauges.
 *   <li>Everything else is a gauge, as is any family typed GAUGE, INFO, STATESET or GAUGEHISTOGRAM.
 * </ul>
 *
 * <p>Prometheus sends metadata in requests of its own, once a minute by default ({@code
 * metadata_config.send_interval}); until the first arrives, only the names decide. The memory is
 * bounded: past {@code maxFamilies}, new families are not recorded (their names still decide).
 * Thread-safe without a lock: every series of every request asks, so the map is concurrent.
 */
final class MetricFamilies {

  /** What a series carries. */
  enum Kind {
    GAUGE,
    COUNTER,
    /** One {@code le} bucket of a classic histogram. */
    BUCKET,
    /** The {@code _sum} or {@code _count} of a histogram or summary: cumulative. */
    CUMULATIVE_PART,
    /** A {@code _sum} or {@code _count} whose family is not known yet. */
    UNDECIDED
  }

  // prompb.MetricMetadata.MetricType
  static final int COUNTER = 1;
  static final int GAUGE = 2;
  static final int HISTOGRAM = 3;
  static final int SUMMARY = 5;
  private static final int OTHER = 100;
  private static final int UNKNOWN = 0;

  private final Map<String, Integer> types = new ConcurrentHashMap<>();
  private final int maxFamilies;

  MetricFamilies(int maxFamilies) {
    if (maxFamilies < 1) {
      throw new IllegalArgumentException("maxFamilies must be >= 1, was " + maxFamilies);
    }
    this.maxFamilies = maxFamilies;
  }

  /** Records a family's type as metadata gives it ({@code prompb.MetricMetadata.MetricType}). */
  void declare(String family, int metadataType) {
    int type =
        switch (metadataType) {
          case COUNTER, GAUGE, HISTOGRAM, SUMMARY -> metadataType;
          case UNKNOWN -> UNKNOWN;
          default -> OTHER; // GAUGEHISTOGRAM, INFO, STATESET: values to watch as they are
        };
    if (type != UNKNOWN && (types.size() < maxFamilies || types.containsKey(family))) {
      types.put(family, type);
    }
  }

  /** Records that {@code family} has buckets, unless metadata typed it already. */
  void sawBuckets(String family) {
    if (types.size() < maxFamilies) {
      types.putIfAbsent(family, HISTOGRAM);
    }
  }

  boolean isEmpty() {
    return types.isEmpty();
  }

  /**
   * The kind of series {@code name}.
   *
   * @param hasLe whether the series has an {@code le} label
   */
  Kind kind(String name, boolean hasLe) {
    int own = types.getOrDefault(name, UNKNOWN);
    if (own == COUNTER) {
      return Kind.COUNTER;
    }
    if (own != UNKNOWN) {
      return Kind.GAUGE; // a gauge, or the family's own name: a summary's quantiles
    }
    if (name.endsWith("_total")) {
      int family = type(name, "_total");
      return family == UNKNOWN || family == COUNTER ? Kind.COUNTER : Kind.GAUGE;
    }
    if (name.endsWith("_bucket") && hasLe) {
      int family = type(name, "_bucket");
      return family == UNKNOWN || family == HISTOGRAM ? Kind.BUCKET : Kind.GAUGE;
    }
    String suffix = name.endsWith("_sum") ? "_sum" : name.endsWith("_count") ? "_count" : null;
    if (suffix != null) {
      int family = type(name, suffix);
      if (family == HISTOGRAM || family == SUMMARY) {
        return Kind.CUMULATIVE_PART;
      }
      return family == UNKNOWN ? Kind.UNDECIDED : Kind.GAUGE;
    }
    return Kind.GAUGE;
  }

  /** Whether a name ends in a suffix that {@link #kind} may read as other than a gauge. */
  static boolean mayNotBeGauge(SeriesInterner series) {
    return series.nameEndsWith("_total")
        || series.nameEndsWith("_bucket")
        || series.nameEndsWith("_sum")
        || series.nameEndsWith("_count");
  }

  static String family(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }

  private int type(String name, String suffix) {
    return types.getOrDefault(family(name, suffix), UNKNOWN);
  }
}
