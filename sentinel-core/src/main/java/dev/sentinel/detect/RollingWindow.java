package dev.sentinel.detect;

import java.util.Arrays;

/**
 * The last {@code windowSize} values of every series, with running sums for an O(1) mean and
 * standard deviation: the state of the z-score detector, and the sample that seeds the robust
 * median.
 *
 * <p>Layout: one float ring per slot in a single array (stride = the longest window of any metric),
 * and three doubles per slot: a base, the sum and the sum of squares. Values are stored relative to
 * the base, which keeps floats precise for large levels (bytes, nanoseconds) and lets a confirmed
 * level shift move the whole window in O(1) by moving its base. The sums are recomputed from the
 * ring each time it wraps, so rounding drift never outlives one window.
 */
final class RollingWindow {

  private static final int BASE = 0;
  private static final int SUM = 1;
  private static final int SUM_SQUARES = 2;
  private static final int STATS = 3;

  private final int stride;
  private float[] ring;
  private double[] stats;
  private int[] cursor;
  private int[] filled;

  RollingWindow(int stride, int capacity) {
    this.stride = stride;
    int slots = stride == 0 ? 0 : capacity;
    ring = new float[slots * stride];
    stats = new double[slots * STATS];
    cursor = new int[slots];
    filled = new int[slots];
  }

  void grow(int capacity) {
    if (stride == 0) {
      return;
    }
    ring = Arrays.copyOf(ring, Math.multiplyExact(capacity, stride));
    stats = Arrays.copyOf(stats, capacity * STATS);
    cursor = Arrays.copyOf(cursor, capacity);
    filled = Arrays.copyOf(filled, capacity);
  }

  int size(int slot) {
    return filled[slot];
  }

  double mean(int slot) {
    int n = filled[slot];
    return n == 0 ? 0 : stats[slot * STATS + BASE] + stats[slot * STATS + SUM] / n;
  }

  double standardDeviation(int slot) {
    int n = filled[slot];
    if (n < 2) {
      return 0;
    }
    double meanOffset = stats[slot * STATS + SUM] / n;
    double variance = stats[slot * STATS + SUM_SQUARES] / n - meanOffset * meanOffset;
    return variance > 0 ? Math.sqrt(variance * n / (n - 1)) : 0;
  }

  /** Appends a value, evicting the oldest once {@code windowSize} values are held. */
  void add(int slot, double value, int windowSize) {
    int s = slot * STATS;
    int n = filled[slot];
    if (n == 0) {
      stats[s + BASE] = value;
    }
    float stored = (float) (value - stats[s + BASE]);
    int position = cursor[slot];
    int index = slot * stride + position;
    if (n == windowSize) {
      float evicted = ring[index];
      stats[s + SUM] -= evicted;
      stats[s + SUM_SQUARES] -= (double) evicted * evicted;
    } else {
      filled[slot] = n + 1;
    }
    ring[index] = stored;
    stats[s + SUM] += stored;
    stats[s + SUM_SQUARES] += (double) stored * stored;
    position++;
    if (position == windowSize) {
      position = 0;
      resum(slot, windowSize);
    }
    cursor[slot] = position;
  }

  /** Moves every value of the window by {@code delta}: a confirmed level shift. */
  void shift(int slot, double delta) {
    stats[slot * STATS + BASE] += delta;
  }

  /** Copies the held values (absolute, not relative) into {@code target}; returns how many. */
  int copyValues(int slot, double[] target) {
    int n = filled[slot];
    double base = stats[slot * STATS + BASE];
    int from = slot * stride;
    for (int i = 0; i < n; i++) {
      target[i] = base + ring[from + i];
    }
    return n;
  }

  private void resum(int slot, int windowSize) {
    double sum = 0;
    double squares = 0;
    int from = slot * stride;
    for (int i = from, end = from + windowSize; i < end; i++) {
      double value = ring[i];
      sum += value;
      squares += value * value;
    }
    stats[slot * STATS + SUM] = sum;
    stats[slot * STATS + SUM_SQUARES] = squares;
  }
}
