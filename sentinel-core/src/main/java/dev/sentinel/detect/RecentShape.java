package dev.sentinel.detect;

import java.util.Arrays;

/**
 * The last {@value #SIZE} values of each series, kept to tell a drift from a step when a point is
 * reported, and to measure the drift's slope. Storing a value is one write per point; the fitting
 * runs on the report path only.
 *
 * <p>Two models are fitted to the recent values, in order: a step (a constant that jumps to another
 * at some point) and a hinge (a constant that turns into a straight line at some point, or a line
 * throughout). The values are a drift when the hinge fits better than the step and its line rises
 * or falls by more than {@value #MIN_RISE} residual deviations over its length: a step is fitted by
 * the step model exactly, a ramp by the hinge, and noise by neither well enough to matter.
 */
final class RecentShape {

  static final int SIZE = 16;

  /**
   * The fewest points a ramp must span to be called one: half the values. A step a few points old
   * is fitted by a short ramp nearly as well as by a step, so a shorter ramp would call every young
   * step a drift.
   */
  private static final int MIN_RAMP = SIZE / 2;

  /** How far, in residual deviations, a line must carry the level over its span to be a drift. */
  private static final double MIN_RISE = 6;

  private float[] values;

  RecentShape(int capacity) {
    values = new float[capacity * SIZE];
  }

  void grow(int capacity) {
    values = Arrays.copyOf(values, capacity * SIZE);
  }

  /** Stores the series' {@code n}-th value (counted from 1). */
  void add(int slot, int n, double value) {
    values[slot * SIZE + (n - 1) % SIZE] = (float) value;
  }

  /**
   * The slope of the series' recent values, per point, if they are a drift; otherwise NaN.
   *
   * @param n how many values the series has had, the last one included
   * @param scratch at least {@value #SIZE} doubles to work in
   */
  double driftSlope(int slot, int n, double[] scratch) {
    if (n < SIZE) {
      return Double.NaN;
    }
    // Oldest first.
    for (int i = 0; i < SIZE; i++) {
      scratch[i] = values[slot * SIZE + (n + i) % SIZE];
    }
    double stepError = Double.MAX_VALUE;
    for (int split = 1; split < SIZE; split++) {
      stepError = Math.min(stepError, stepError(scratch, split));
    }
    double hingeError = Double.MAX_VALUE;
    double slope = Double.NaN;
    int ramp = 0;
    for (int start = 0; start <= SIZE - 1 - MIN_RAMP; start++) {
      double error = hinge(scratch, start);
      if (error < hingeError) {
        hingeError = error;
        slope = fittedSlope;
        ramp = SIZE - 1 - start;
      }
    }
    double residual = Math.sqrt(hingeError / (SIZE - 3));
    boolean drift = hingeError < stepError && Math.abs(slope) * ramp > MIN_RISE * residual;
    return drift ? slope : Double.NaN;
  }

  /** The squared error of two means, one before {@code split} and one from it. */
  private static double stepError(double[] x, int split) {
    return squaredError(x, 0, split) + squaredError(x, split, SIZE);
  }

  private static double squaredError(double[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += x[i];
    }
    double mean = sum / (to - from);
    double error = 0;
    for (int i = from; i < to; i++) {
      error += (x[i] - mean) * (x[i] - mean);
    }
    return error;
  }

  /** The slope of the last {@link #hinge} fitted. */
  private double fittedSlope;

  /**
   * Least squares of {@code x[i] = a + b * max(0, i - start)}: returns the squared error and leaves
   * b in {@link #fittedSlope}.
   */
  private double hinge(double[] x, int start) {
    double n = SIZE;
    double sr = 0;
    double srr = 0;
    double sx = 0;
    double srx = 0;
    for (int i = 0; i < SIZE; i++) {
      double r = Math.max(0, i - start);
      sr += r;
      srr += r * r;
      sx += x[i];
      srx += r * x[i];
    }
    double determinant = n * srr - sr * sr;
    double b = determinant == 0 ? 0 : (n * srx - sr * sx) / determinant;
    double a = (sx - b * sr) / n;
    double error = 0;
    for (int i = 0; i < SIZE; i++) {
      double e = x[i] - a - b * Math.max(0, i - start);
      error += e * e;
    }
    fittedSlope = b;
    return error;
  }
}
