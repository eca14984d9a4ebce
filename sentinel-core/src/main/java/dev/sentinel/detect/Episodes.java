package dev.sentinel.detect;

import java.util.Arrays;

/**
 * Reports each anomalous condition once, at its onset, and again only when it gets worse or turns
 * the other way: a step or a burst of outliers is one piece of news, not one per point. Twelve
 * bytes per slot: the score last reported (signed by direction) and when the series was last
 * anomalous.
 *
 * <p>An episode is over once the series has gone {@value #QUIET_MINUTES} minutes (but no more than
 * {@value #QUIET_INTERVALS_LIVE} sampling intervals, and no less than {@value #QUIET_INTERVALS})
 * without an anomalous point; the next one opens a new episode. A point that is anomalous but
 * continues an episode, no worse than its worst report, is not reported, and its score is given as
 * its share of that report, below 1. The detectors still treat it as anomalous (it teaches the
 * baselines less): suppression changes what is said, not what is learnt.
 *
 * <p>Why: scored on labelled series, every flag after a labelled window is a false positive, and
 * the points after an onset (before the level detector has accepted a step, or while a burst of
 * heavy-tailed outliers lasts) were a quarter of them. No event is lost as a detection: its onset
 * already reported it.
 */
final class Episodes {

  static final long QUIET_MINUTES = 15;
  static final int QUIET_INTERVALS = 3;

  /**
   * On a fast series the quiet time shrinks to this many intervals (20 s at one sample a second): a
   * problem that comes back a minute after a fix is news again, not the old episode going on. From
   * one sample a minute up, the quiet time is the 15 minutes the evaluation was tuned with.
   */
  static final int QUIET_INTERVALS_LIVE = 20;

  private static final long QUIET_MILLIS = QUIET_MINUTES * 60_000L;

  /** The largest score of a point that continues an episode: just under "anomalous". */
  private static final double CONTINUING_MAX = Math.nextDown(1.0);

  /** The worst score reported in the episode, negative below the expected range; 0 for none. */
  private float[] worst;

  private long[] anomalousAt;

  Episodes(int capacity) {
    worst = new float[capacity];
    anomalousAt = new long[capacity];
  }

  void grow(int capacity) {
    worst = Arrays.copyOf(worst, capacity);
    anomalousAt = Arrays.copyOf(anomalousAt, capacity);
  }

  /**
   * The score of an anomalous point (1 or more) as news: unchanged when it opens an episode, turns
   * its direction or is worse than its worst report (then remembered), else its share of that
   * report, below 1.
   *
   * @param intervalMillis the series' sampling interval, which lengthens the quiet time
   */
  double news(int slot, long timestampMillis, double score, boolean up, double intervalMillis) {
    double reported = worst[slot];
    double quiet =
        Math.max(
            QUIET_INTERVALS * intervalMillis,
            Math.min(QUIET_MILLIS, QUIET_INTERVALS_LIVE * intervalMillis));
    boolean continues =
        reported != 0 && (reported > 0) == up && timestampMillis - anomalousAt[slot] <= quiet;
    anomalousAt[slot] = timestampMillis;
    double bar = continues ? Math.abs(reported) : 0;
    if (score > bar) {
      worst[slot] = (float) (up ? score : -score);
      return score;
    }
    return Math.min(CONTINUING_MAX, score / bar);
  }
}
