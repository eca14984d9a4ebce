package dev.sentinel.bench.eval;

import java.util.List;
import java.util.Objects;

/**
 * A generated series with its labelled anomaly windows. A window spans the injected anomaly and a
 * short grace period after it, in which a flag still counts as a detection.
 *
 * @param name a unique, file-name-safe name
 * @param kind what was injected
 * @param timestamps epoch milliseconds, ascending
 * @param values one value per timestamp
 * @param windows the labelled windows (empty for a normal series)
 */
public record LabelledSeries(
    String name, AnomalyKind kind, long[] timestamps, double[] values, List<Window> windows) {

  /** An anomaly event: flags in [startMillis, endMillis] detect it. */
  public record Window(long startMillis, long endMillis) {
    public Window {
      if (endMillis < startMillis) {
        throw new IllegalArgumentException("window ends before it starts: " + endMillis);
      }
    }

    boolean contains(long timestampMillis) {
      return timestampMillis >= startMillis && timestampMillis <= endMillis;
    }
  }

  public LabelledSeries {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "timestamps and values differ in length: " + timestamps.length + " vs " + values.length);
    }
    windows = List.copyOf(windows);
  }

  public int size() {
    return timestamps.length;
  }

  /** Whether the point at this index lies in a labelled window. */
  public boolean labelled(int index) {
    for (Window window : windows) {
      if (window.contains(timestamps[index])) {
        return true;
      }
    }
    return false;
  }
}
