package dev.sentinel.detect;

import java.util.Arrays;

/**
 * The anomaly likelihood of a series: how improbable its recent detector scores are against the
 * distribution of its own past scores, after Numenta's anomaly likelihood (Ahmad et al.,
 * "Unsupervised real-time anomaly detection for streaming data", Neurocomputing 2017), with
 * exponentially weighted estimates in place of windows so that the state is five numbers per
 * series.
 *
 * <p>Each point's raw score (the ensemble's, in threshold units, compressed by {@code log(1 + s)}
 * so that one huge spike does not dominate the variance for hours) updates a long-run mean and
 * variance (rate {@value #LONG_RATE}, about a thousand points), a short mean (rate {@value
 * #SHORT_RATE}, the last two or three points) and a slow mean (rate {@value #SLOW_RATE}, the last
 * forty points). The tail probability of each recent mean under a Gaussian with the long-run
 * moments is taken, the smaller of the two counts, and the anomaly score is {@code -log10(tail) /
 * 10}, in [0, 1]: 0.5 is a chance of one in 100,000 that the series behaves like this ordinarily, 1
 * a chance of 10^-10 or less. The short mean catches spikes and sudden changes, the slow mean a
 * mild change that lasts (a slow drift, a shift of a few noise widths).
 *
 * <p>Once a point is reported, the series is held quiet for {@value #HOLD} points: its score reads
 * 0 and nothing is reported. One report per episode is what an operator wants paged, and NAB, which
 * the constants were tuned on, rewards the earliest detection in each window and charges every
 * further one outside it. One thing ends the hold early: the series recovers (its detectors see
 * nothing anomalous for a few points, or see it move back) and then breaks out grossly again in the
 * same direction ({@link #recurs}). Without it, a fault that came back soon after a fix went
 * unreported on a fast series: a hundred points are a hundred seconds at one sample a second, and
 * by the end of the hold the level detector had accepted the second fault as the new normal, so
 * nothing was left to report.
 *
 * <p>Tuned on the NAB tuning half (bench/RESULTS-detection.md): long rate 0.0005 to 0.004, short
 * 0.3 to 0.7, slow 0.03 to 0.1, hold 60 to 250 all scored within a few points of the chosen values.
 */
final class Likelihood {

  static final double LONG_RATE = 0.001;
  static final double SHORT_RATE = 0.5;
  static final double SLOW_RATE = 0.05;

  /**
   * The slow mean's variance is taken as four times that of a mean of independent scores: raw
   * scores of neighbouring points are correlated, and without the factor every wander fired.
   */
  private static final double SLOW_VARIANCE = 4 * SLOW_RATE / (2 - SLOW_RATE);

  /** Points a series must have scored before its likelihood may report anything. */
  static final int WARM_UP = 30;

  /** Points held quiet after a report. */
  static final int HOLD = 100;

  /**
   * The ensemble score (in threshold units) that a new onset during the hold must reach to be
   * reported (see {@link #recurs}): 25 deviations at the default thresholds. A fault that comes
   * back after a fix is unmistakable (the demo's error burst scored 8.5 on its return, against
   * spreads the first burst had widened); letting milder excursions through cost NAB points: 4 cost
   * 0.7, 5 costs 0.3, 8 costs 0.1 (bench/RESULTS-detection.md).
   */
  static final double RECURRENCE_SCORE = 5;

  /** Points in a row inside the detectors' thresholds after which a held series has recovered. */
  static final int RECOVERY_POINTS = 5;

  /** Keeps the long-run deviation positive on a series whose scores have been constant. */
  private static final double VARIANCE_FLOOR = 1e-4;

  private static final int MEAN = 0;
  private static final int VARIANCE = 1;
  private static final int SHORT = 2;
  private static final int SLOW = 3;
  private static final int STRIDE = 4;

  private float[] moments;
  private int[] scored;
  private short[] held;

  /**
   * Per slot, while held: the report's direction ({@link #UP}), whether the series has recovered
   * since, by calm ({@link #CALMED}) or by moving back ({@link #TURNED}), and, until it has, its
   * points in a row inside the thresholds ({@link #CALM}).
   */
  private byte[] episode;

  private static final int UP = 0x40;
  private static final int CALMED = 0x20;
  private static final int TURNED = 0x10;
  private static final int CALM = 0x0f;

  private boolean reported;

  Likelihood(int capacity) {
    moments = new float[capacity * STRIDE];
    scored = new int[capacity];
    held = new short[capacity];
    episode = new byte[capacity];
  }

  void grow(int capacity) {
    moments = Arrays.copyOf(moments, capacity * STRIDE);
    scored = Arrays.copyOf(scored, capacity);
    held = Arrays.copyOf(held, capacity);
    episode = Arrays.copyOf(episode, capacity);
  }

  /**
   * Adds a point's raw ensemble score; returns its anomaly score in [0, 1], 0 while held after a
   * report. {@link #reported()} then tells whether this point is to be reported.
   *
   * @param context the anomaly score of the same point from another channel (the {@link
   *     ContextNovelty} of the series, scored by a likelihood of its own), or 0: the point's
   *     anomaly score is the larger of the two, and one hold covers both
   * @param reportAt the anomaly score a report needs (0.5 at sensitivity 1)
   */
  double update(int slot, double raw, boolean up, double reportAt, double context) {
    reported = false;
    double score = Math.max(context, tail(slot, raw));
    if (held[slot] > 0 && !recurs(slot, raw, up, score, reportAt)) {
      held[slot]--;
      return 0;
    }
    if (score >= reportAt) {
      reported = true;
      held[slot] = HOLD;
      episode[slot] = (byte) (up ? UP : 0);
    }
    return score;
  }

  /**
   * Adds a point's raw score to the series' moments and returns how unusual its recent scores are,
   * in [0, 1], with no hold and no report: the whole of what a second channel needs.
   */
  double tail(int slot, double raw) {
    return tail(slot, raw, true);
  }

  /**
   * As {@link #tail(int, double)}; with {@code ranked} false, a point whose recent means are not
   * above the long-run mean scores 0 instead of its small rank-keeping value, which saves the
   * square roots on most points: for a channel that only counts where it beats another.
   */
  double tail(int slot, double raw, boolean ranked) {
    double x = raw > 0 ? Math.log1p(raw) : 0;
    int s = slot * STRIDE;
    int n = scored[slot] == Integer.MAX_VALUE ? Integer.MAX_VALUE : scored[slot] + 1;
    scored[slot] = n;
    double mean = moments[s + MEAN];
    double variance = moments[s + VARIANCE];
    // A 1/n rate at first makes each estimate the plain mean of the scores seen so far.
    double shortMean = follow(moments[s + SHORT], x, SHORT_RATE, n);
    double slowMean = follow(moments[s + SLOW], x, SLOW_RATE, n);
    moments[s + SHORT] = (float) shortMean;
    moments[s + SLOW] = (float) slowMean;
    double score = 0;
    if (n > WARM_UP && (ranked || shortMean > mean || slowMean > mean)) {
      double floored = Math.max(variance, VARIANCE_FLOOR);
      double zShort = (shortMean - mean) / Math.sqrt(floored);
      double zSlow = (slowMean - mean) / Math.sqrt(floored * SLOW_VARIANCE);
      score = scoreOf(Math.max(zShort, zSlow));
    }
    double rate = n * LONG_RATE < 1 ? 1.0 / n : LONG_RATE;
    double deviation = x - mean;
    moments[s + MEAN] = (float) (mean + rate * deviation);
    moments[s + VARIANCE] = (float) ((1 - rate) * (variance + rate * deviation * deviation));
    return score;
  }

  /** Whether the series is held quiet after a report. */
  boolean held(int slot) {
    return held[slot] > 0;
  }

  /** Whether the series' last report went up; meaningful while it is {@link #held}. */
  boolean reportedUp(int slot) {
    return (episode[slot] & UP) != 0;
  }

  /** Whether the point last passed to {@link #update} is to be reported. */
  boolean reported() {
    return reported;
  }

  /**
   * Whether a held point opens a new episode: the series recovered since the report, and this point
   * is past the detectors' thresholds again, grossly (an ensemble score of {@value
   * #RECURRENCE_SCORE} or more), and likely enough to report. Recovered means either no point past
   * the thresholds for {@value #RECOVERY_POINTS} points in a row, after which a gross move either
   * way is news; or a move past them the other way (back from a burst or a step), after which only
   * a move the report's way is (the way back is no news). Updates the slot's state; for held points
   * only.
   */
  private boolean recurs(int slot, double raw, boolean up, double score, double reportAt) {
    int state = episode[slot];
    boolean reportedUp = (state & UP) != 0;
    if ((state & (CALMED | TURNED)) == 0) {
      if (raw < 1) {
        state = (state & CALM) + 1 >= RECOVERY_POINTS ? state | CALMED : state + 1;
      } else {
        state = up != reportedUp ? state | TURNED : state & ~CALM;
      }
      episode[slot] = (byte) state;
      return false;
    }
    boolean news = (state & CALMED) != 0 || up == reportedUp;
    return news && raw >= RECURRENCE_SCORE && score >= reportAt;
  }

  private static double follow(double estimate, double x, double rate, int n) {
    double step = n * rate < 1 ? 1.0 / n : rate;
    return estimate + step * (x - estimate);
  }

  /**
   * {@code -log10} of the upper Gaussian tail beyond {@code z}, over 10 and capped at 1. Every
   * point pays for it, so above z = 0 it is taken from the logarithm of the erfc fit directly (one
   * {@code log}, no {@code exp}); below z = 0, where the tail is over a half and the exact score
   * under 0.03, a cheaper curve that still rises with z and meets the exact value at 0 stands in:
   * no decision and no swept threshold is ever that low, but a threshold sweep still ranks by it.
   */
  static double scoreOf(double z) {
    if (z <= 0) {
      // Falls about as fast as the exact score: 3e-5 against 6e-5 at z = -3.
      double d = 1 + z * z;
      return AT_ZERO / (d * d * d);
    }
    double x = z * INVERSE_SQRT_2;
    double t = 1 / (1 + 0.5 * x);
    // ln(tail) = ln(0.5) + ln(erfc(x)), and ln(erfc(x)) = ln(t) - x^2 + poly(t) for x >= 0.
    double lnTail = LN_HALF + Math.log(t) - x * x + erfcPolynomial(t);
    return Math.min(1, -lnTail * SCORE_PER_NAT);
  }

  private static final double INVERSE_SQRT_2 = 1 / Math.sqrt(2);
  private static final double LN_HALF = Math.log(0.5);
  private static final double SCORE_PER_NAT = 1 / (10 * Math.log(10));
  private static final double AT_ZERO = Math.log10(2) / 10;

  private static double erfcPolynomial(double t) {
    return -1.26551223
        + t
            * (1.00002368
                + t
                    * (0.37409196
                        + t
                            * (0.09678418
                                + t
                                    * (-0.18628806
                                        + t
                                            * (0.27886807
                                                + t
                                                    * (-1.13520398
                                                        + t
                                                            * (1.48851587
                                                                + t
                                                                    * (-0.82215223
                                                                        + t * 0.17087277))))))));
  }
}
