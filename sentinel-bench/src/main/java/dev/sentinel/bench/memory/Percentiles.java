package dev.sentinel.bench.memory;

import java.util.Arrays;
import java.util.Locale;

/** Latency percentiles of a run, in milliseconds. */
final class Percentiles {

  private Percentiles() {}

  static String of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "n=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms",
        sorted.length,
        at(sorted, 0.50),
        at(sorted, 0.90),
        at(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double at(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
