package dev.sentinel.detect;

import java.util.Arrays;

/**
 * Contextual novelty of a series, after the idea of the contextual anomaly detector (CAD-OSE,
 * Smirnov, NAB 2016): learn which short sequences of quantised values the series has shown, and
 * score a point by how many of the contexts it completes were never seen before. A value can be
 * well inside every range and still be news in its context: a daily peak that comes at the wrong
 * time, a rhythm that breaks, a plateau where the series always moved.
 *
 * <p>The value is quantised to {@value #LEVELS} levels over the range the series has shown so far
 * (its running minimum and maximum, which a new extreme widens). The contexts a point completes are
 * its level paired with the level of each of the {@value #LAGS} points before it, and the triple of
 * the two points before it and itself: {@value #FEATURES} possible contexts per series, one bit
 * each, set once seen. The novelty is the share of the point's contexts not seen before, in [0, 1],
 * and 0 on a series that is not predictable from one point to the next (see {@link #PREDICTABLE}).
 *
 * <p>The state is a fixed bit set (112 bytes), the packed recent levels (4 bytes) and the range (8
 * bytes) per series; no allocation per point.
 */
final class ContextNovelty {

  private static final int BITS = 3;

  /**
   * The most lag-one transitions (of {@code LEVELS * LEVELS = 64}) a series may have shown for its
   * novelty to count: context is evidence only on a series that moves predictably from one point to
   * the next. On noise every transition turns up and the rare ones at the extremes stay news for
   * ever: without this bound, Gaussian noise was reported about once in 900 points (none with it),
   * and on NAB's tuning half 32 / 36 / 40 / 48 scored 60.1 / 63.8 / 63.3 / 62.8 swept.
   */
  static final int PREDICTABLE = 36;

  static final int LEVELS = 1 << BITS;
  static final int LAGS = 6;
  private static final int PAIRS = LAGS * LEVELS * LEVELS;
  static final int FEATURES = PAIRS + LEVELS * LEVELS * LEVELS;
  private static final int WORDS = FEATURES / 64;
  private static final int HISTORY_MASK = (1 << (BITS * LAGS)) - 1;

  private long[] seen;
  private int[] recent;
  private float[] low;
  private float[] high;

  ContextNovelty(int capacity) {
    seen = new long[capacity * WORDS];
    recent = new int[capacity];
    low = new float[capacity];
    high = new float[capacity];
  }

  void grow(int capacity) {
    seen = Arrays.copyOf(seen, capacity * WORDS);
    recent = Arrays.copyOf(recent, capacity);
    low = Arrays.copyOf(low, capacity);
    high = Arrays.copyOf(high, capacity);
  }

  void start(int slot, double value) {
    low[slot] = (float) value;
    high[slot] = (float) value;
  }

  /**
   * What {@link #update} returns for a series that is not predictable: its context is no signal.
   */
  static final double OFF = -1;

  /**
   * Learns a point; returns its novelty in [0, 1], the share of its contexts never seen before, or
   * {@link #OFF} once the series has shown itself not predictable (see {@link #PREDICTABLE}). Seen
   * transitions are never forgotten, so that is for good: such a series then costs one look-up a
   * point and learns nothing more.
   *
   * @param points the series' points so far, this one included
   */
  double update(int slot, double value, int points) {
    int base = slot * WORDS;
    // The lag-one transitions are the first 64 features: the first word of the slot.
    if (Long.bitCount(seen[base]) > PREDICTABLE) {
      return OFF;
    }
    // The range only widens: narrowing it again re-quantises every context learnt (tried on NAB,
    // shrinking by 0.01 % to 0.5 % of the range a point cost 5 to 8 points).
    float lo = Math.min(low[slot], (float) value);
    float hi = Math.max(high[slot], (float) value);
    low[slot] = lo;
    high[slot] = hi;
    int level = hi > lo ? (int) Math.min(LEVELS - 1, LEVELS * (value - lo) / (hi - lo)) : 0;
    int history = recent[slot];
    int known = Math.min(points - 1, LAGS);
    int fresh = 0;
    for (int lag = 0; lag < known; lag++) {
      int before = (history >>> (BITS * lag)) & (LEVELS - 1);
      fresh += learn(base, lag * LEVELS * LEVELS + before * LEVELS + level);
    }
    int contexts = known;
    if (known >= 2) {
      int pair = history & (LEVELS * LEVELS - 1);
      fresh += learn(base, PAIRS + pair * LEVELS + level);
      contexts++;
    }
    recent[slot] = ((history << BITS) | level) & HISTORY_MASK;
    if (Long.bitCount(seen[base]) > PREDICTABLE) {
      return OFF;
    }
    return contexts == 0 ? 0 : (double) fresh / contexts;
  }

  /** Sets a context's bit; returns 1 if it was not set, else 0. */
  private int learn(int base, int feature) {
    int word = base + (feature >>> 6);
    long bit = 1L << (feature & 63);
    long bits = seen[word];
    if ((bits & bit) != 0) {
      return 0;
    }
    seen[word] = bits | bit;
    return 1;
  }
}
