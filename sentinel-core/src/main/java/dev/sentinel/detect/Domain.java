package dev.sentinel.detect;

/**
 * What values a metric can take, as far as detection can know it: an expected range never reaches
 * below zero for a metric that cannot (a rate, a count, a ratio, a size in bytes, a duration).
 *
 * <p>Two sources: the name, by Prometheus naming conventions (a unit suffix such as {@code _bytes}
 * or {@code _seconds}, {@code _total} and {@code _count} for counts, {@code _ratio} and {@code
 * _percent}): such a metric is non-negative whatever its values say; and, for any other name, the
 * series' own history, kept as one flag: a series that has never carried a negative value (an error
 * rate, a request count, a CPU share) is taken to be non-negative until it does. Looser name rules
 * (any name with {@code rate} in it) were left out: a growth rate or a balance may be negative, and
 * the history already covers every series that never is.
 */
final class Domain {

  private static final String[] NON_NEGATIVE_SUFFIXES = {
    "_bytes",
    "_seconds",
    "_milliseconds",
    "_ms",
    "_total",
    "_count",
    "_ratio",
    "_percent",
    "_bucket",
    "_size",
    "_length",
    "_depth"
  };

  private Domain() {}

  /** Whether a metric's name says that its values are never negative. */
  static boolean nonNegativeByName(String metricName) {
    String name = metricName.toLowerCase(java.util.Locale.ROOT);
    for (String suffix : NON_NEGATIVE_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
