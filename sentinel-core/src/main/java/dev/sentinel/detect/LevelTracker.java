package dev.sentinel.detect;

import java.util.Arrays;

/**
 * The level-shift detector: an EWMA of the (deseasonalised) level and of its squared residuals, and
 * a two-sided CUSUM of the standardised residuals, so that a shift fires when the evidence of many
 * mild points adds up, even though no single point is far out.
 *
 * <p>Each standardised residual is clipped to ±{@value #CLIP} before it enters the CUSUM or the
 * EWMAs (a Huber-style update). One spike therefore adds at most {@code CLIP - k} to the sum and
 * cannot fire the detector alone, nor drag the level or inflate the variance for long.
 *
 * <p>Besides each sum, the run of points since that sum last left zero is kept (its length and the
 * total of its values): when the sum fires, the mean of that run is the best estimate of the new
 * level, and the engine re-bases every detector on it.
 *
 * <p>Layout: ten doubles per slot, adjacent so that a point touches one or two cache lines.
 */
final class LevelTracker {

  static final double CLIP = 4.0;

  private static final int LEVEL = 0;
  private static final int VARIANCE = 1;
  private static final int UP = 2;
  private static final int DOWN = 3;
  private static final int UP_RUN = 4;
  private static final int UP_TOTAL = 5;
  private static final int DOWN_RUN = 6;
  private static final int DOWN_TOTAL = 7;
  private static final int PREVIOUS = 8;
  private static final int COVARIANCE = 9;
  private static final int STRIDE = 10;

  /** Rate of the lag-one autocovariance estimate: slow, so a shift cannot hide itself quickly. */
  private static final double COVARIANCE_RATE = 0.01;

  /** Bounds the variance inflation, so a strongly wandering series can still fire. */
  private static final double MAX_INFLATION = 16;

  private static final double MAX_CORRELATION = 0.99;

  private double[] state;

  LevelTracker(int capacity) {
    state = new double[capacity * STRIDE];
  }

  void grow(int capacity) {
    state = Arrays.copyOf(state, capacity * STRIDE);
  }

  void start(int slot, double value) {
    Arrays.fill(state, slot * STRIDE, slot * STRIDE + STRIDE, 0);
    state[slot * STRIDE + LEVEL] = value;
  }

  double level(int slot) {
    return state[slot * STRIDE + LEVEL];
  }

  double standardDeviation(int slot, double floor) {
    return Math.max(Math.sqrt(state[slot * STRIDE + VARIANCE]), floor);
  }

  /**
   * Adds a value. While {@code warm} is false only the EWMAs learn (with a 1/n rate at first, so
   * the early level is the plain mean); once warm, the CUSUM runs too.
   *
   * @return the larger of the two sums divided by the threshold h: 1 or more means a shift
   */
  double update(int slot, double value, int samples, boolean warm, double floor, Tuning tuning) {
    int s = slot * STRIDE;
    double level = state[s + LEVEL];
    double variance = state[s + VARIANCE];
    double residual = value - level;
    double score = 0;
    if (warm) {
      double floored = Math.max(variance, floor * floor);
      score = accumulate(s, value, residual, floored, tuning);
      double limit = CLIP * Math.sqrt(floored);
      residual = Math.max(-limit, Math.min(limit, residual));
    }
    // A 1/n rate at first makes the early level the plain mean of the values seen.
    double alpha = samples * tuning.levelAlpha < 1 ? 1.0 / samples : tuning.levelAlpha;
    double covarianceRate = samples * COVARIANCE_RATE < 1 ? 1.0 / samples : COVARIANCE_RATE;
    state[s + LEVEL] = level + alpha * residual;
    state[s + VARIANCE] = (1 - alpha) * (variance + alpha * residual * residual);
    state[s + COVARIANCE] +=
        covarianceRate * (residual * state[s + PREVIOUS] - state[s + COVARIANCE]);
    state[s + PREVIOUS] = residual;
    return score;
  }

  /** Adds the clipped, standardised residual to both sums; returns the larger over h. */
  private double accumulate(int s, double value, double residual, double variance, Tuning tuning) {
    double z = residual / Math.sqrt(variance * inflation(state[s + COVARIANCE], variance));
    z = Math.max(-CLIP, Math.min(CLIP, z));
    double up = accumulate(s + UP, s + UP_RUN, s + UP_TOTAL, z - tuning.cusumSlack, value);
    double down = accumulate(s + DOWN, s + DOWN_RUN, s + DOWN_TOTAL, -z - tuning.cusumSlack, value);
    return Math.max(up, down) * tuning.inverseCusumThreshold;
  }

  /**
   * How much the variance of a sum of residuals exceeds that of independent ones: (1 + r) / (1 - r)
   * for lag-one autocorrelation r. Real metrics wander (r of 0.5 to 0.9 is common), and a CUSUM
   * that assumed independence would read every wander as a shift.
   */
  private static double inflation(double covariance, double variance) {
    double bounded = Math.max(0, Math.min(MAX_CORRELATION * variance, covariance));
    return Math.min(MAX_INFLATION, (variance + bounded) / (variance - bounded));
  }

  /** Which sum is the larger: the direction a firing shift went. */
  Direction direction(int slot) {
    return state[slot * STRIDE + UP] >= state[slot * STRIDE + DOWN] ? Direction.UP : Direction.DOWN;
  }

  /**
   * Accepts the shift that just fired: moves the level to the mean of the firing run, clears both
   * sums, and returns how far the level moved.
   */
  double confirmShift(int slot) {
    int s = slot * STRIDE;
    boolean up = state[s + UP] >= state[s + DOWN];
    double run = up ? state[s + UP_RUN] : state[s + DOWN_RUN];
    double total = up ? state[s + UP_TOTAL] : state[s + DOWN_TOTAL];
    double delta = run > 0 ? total / run - state[s + LEVEL] : 0;
    state[s + LEVEL] += delta;
    Arrays.fill(state, s + UP, s + PREVIOUS, 0);
    return delta;
  }

  private double accumulate(int sum, int run, int total, double increment, double value) {
    double next = state[sum] + increment;
    if (next > 0) {
      state[sum] = next;
      state[run] += 1;
      state[total] += value;
    } else {
      state[sum] = 0;
      state[run] = 0;
      state[total] = 0;
    }
    return state[sum];
  }
}
