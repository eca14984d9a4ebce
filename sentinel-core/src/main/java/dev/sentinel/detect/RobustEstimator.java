package dev.sentinel.detect;

import java.util.Arrays;

/**
 * Streaming median and median absolute deviation (MAD) of every series, in two doubles per slot.
 *
 * <p>Both are stochastic quantile estimates in the spirit of Ma, Muthukrishnan and Sandler's
 * "frugal streaming": the median steps a small fraction of the MAD towards each new value, so it
 * settles where half the values fall on each side; the MAD grows or shrinks by a constant factor
 * depending on whether the value's distance from the median exceeds it, so it settles at the median
 * distance. A single outlier can move either by one small step only, which is what makes the
 * detector robust. Both are seeded with the exact median and MAD of the rolling window when the
 * warm-up ends, so no time is spent converging from nothing.
 */
final class RobustEstimator {

  /** Scales a MAD to a standard deviation for normally distributed data. */
  static final double MAD_TO_SIGMA = 1.4826;

  private double[] state;

  RobustEstimator(int capacity) {
    state = new double[capacity * 2];
  }

  void grow(int capacity) {
    state = Arrays.copyOf(state, capacity * 2);
  }

  double median(int slot) {
    return state[slot * 2];
  }

  /** The MAD scaled to a standard deviation, floored so that it never divides by zero. */
  double spread(int slot, double floor) {
    return Math.max(state[slot * 2 + 1] * MAD_TO_SIGMA, floor);
  }

  /**
   * Sets the exact median and MAD of {@code values[0, count)}; sorts the array in place (the
   * caller's scratch space), and allocates nothing.
   */
  void seed(int slot, double[] values, int count) {
    Arrays.sort(values, 0, count);
    double median = middle(values, count);
    for (int i = 0; i < count; i++) {
      values[i] = Math.abs(values[i] - median);
    }
    Arrays.sort(values, 0, count);
    state[slot * 2] = median;
    state[slot * 2 + 1] = middle(values, count);
  }

  /**
   * One stochastic step towards the value. {@code rate} is the median's step in MADs and the MAD's
   * relative growth, {@code shrink} its factor when it shrinks ({@code 1 / (1 + rate)}, so that
   * both steps are the same in log scale); {@code floor} keeps the median moving when the MAD is
   * zero.
   */
  void update(int slot, double value, double rate, double shrink, double floor) {
    int i = slot * 2;
    double median = state[i];
    double mad = state[i + 1];
    double distance = Math.abs(value - median);
    double step = rate * Math.max(mad, floor);
    if (value > median) {
      state[i] = Math.min(median + step, value);
    } else if (value < median) {
      state[i] = Math.max(median - step, value);
    }
    if (distance > mad) {
      state[i + 1] = mad > 0 ? Math.min(mad * (1 + rate), distance) : rate * distance;
    } else if (distance < mad) {
      state[i + 1] = Math.max(mad * shrink, distance);
    }
  }

  /** Moves the median by {@code delta}: a confirmed level shift. */
  void shift(int slot, double delta) {
    state[slot * 2] += delta;
  }

  private static double middle(double[] sorted, int count) {
    int half = count / 2;
    return (count & 1) == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  }
}
