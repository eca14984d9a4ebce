package dev.sentinel.detect;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming anomaly detection for the series of one partition: every point is scored by up to four
 * online detectors (rolling z-score, streaming median/MAD, EWMA level with CUSUM, time-of-day and
 * day-of-week profile), in O(1) time and without allocating, and the ensemble decides.
 *
 * <p>Not thread-safe: one engine per partition, fed by that partition's single owner thread.
 *
 * <p>State is struct-of-arrays: a series gets a dense slot on its first point, and each detector
 * keeps flat primitive arrays indexed by slot, grown by half again when full. There is no object
 * per series. This class is longer than most because it is the hot path: scoring and updating one
 * point is kept in one place so that the order of reads and writes is visible.
 *
 * <p>Baselines are protected from anomalies: an anomalous point enters the rolling window clipped
 * to the edge of the expected range, teaches the seasonal profile a tenth of what a normal point
 * does, and moves the level and the robust median by one bounded step. A spike therefore does not
 * make its successors look normal or abnormal. A shift confirmed by the CUSUM, on the other hand,
 * is accepted: every detector is re-based on the new level, so a lasting shift is flagged while it
 * builds up and then becomes the new normal.
 *
 * <p>Under the likelihood decision a fifth signal, the novelty of the point's context ({@link
 * ContextNovelty}: which short sequences of quantised values the series has shown), has a
 * likelihood of its own, and a point is as unusual as the more unusual of the two.
 *
 * <p>What is reported is narrower than what is anomalous: a heavy-tailed series has its point
 * thresholds widened ({@link TailGuard}), and a condition is reported at its onset and when it
 * worsens, not at every point it lasts ({@link Episodes}).
 */
public final class DetectionEngine {

  private static final int INITIAL_CAPACITY = 1024;

  /** Keeps every spread positive: below it, a change in a constant series at 0 is anomalous. */
  private static final double ABSOLUTE_SPREAD_FLOOR = 1e-9;

  /**
   * The spread floor of a series that has only ever carried whole numbers (queue depths, error
   * counts, up/down flags): a count moving by one is noise until it persists, which the level
   * detector still catches; without this, a queue that is always 0 pages on its first 1.
   */
  private static final double WHOLE_NUMBER_FLOOR = 0.5;

  /** The seasonal deviation is at least this share of the level's: one calm hour is no proof. */
  private static final double SEASONAL_FLOOR_SHARE = 0.5;

  /** Smoothing of the sampling-interval estimate. */
  private static final double INTERVAL_ALPHA = 0.1;

  private final SeriesRegistry registry;
  private final TuningTable tuningTable;
  private final boolean seasonalAvailable;
  private Tuning[] tunings = new Tuning[0];

  private int[] slotBySeries = new int[INITIAL_CAPACITY];
  private int slots;
  private int capacity = INITIAL_CAPACITY;
  private int[] tuningOf = new int[INITIAL_CAPACITY];
  private int[] samples = new int[INITIAL_CAPACITY];
  private long[] firstSeen = new long[INITIAL_CAPACITY];
  private long[] lastSeen = new long[INITIAL_CAPACITY];
  private float[] interval = new float[INITIAL_CAPACITY];
  private boolean[] fractional = new boolean[INITIAL_CAPACITY];

  /**
   * Whether a series' expected range may reach below zero: set when its name does not say it is
   * non-negative and it has carried a negative value (see {@link Domain}).
   */
  private boolean[] signed = new boolean[INITIAL_CAPACITY];

  /** Whether a slot's metric is non-negative by its name, whatever the values say. */
  private boolean[] nonNegativeName = new boolean[INITIAL_CAPACITY];

  private final RollingWindow window;
  private final RobustEstimator robust;
  private final LevelTracker level;
  private final SeasonalProfile seasonal;
  private final TailGuard tails;
  private final Episodes episodes;
  private final Likelihood likelihood;
  private final ContextNovelty contexts;
  private final Likelihood contextLikelihood;
  private final RecentShape recent;
  private final double[] shapeScratch = new double[RecentShape.SIZE];

  /** The kind of the anomaly {@link #report} last sent. */
  private AnomalyKind reportedKind;

  /** Per slot: whether the episode the likelihood last reported has been labelled a drift. */
  private boolean[] drifted = new boolean[INITIAL_CAPACITY];

  private final Ensemble ensemble = new Ensemble();
  private final double[] scratch;

  private long pointsObserved;
  private long anomaliesFound;
  private long nonFiniteIgnored;

  public DetectionEngine(DetectionConfig config, SeriesRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tuningTable = new TuningTable(Objects.requireNonNull(config, "config"));
    this.seasonalAvailable = tuningTable.anySeasonal();
    window = new RollingWindow(tuningTable.maxWindowSize(), INITIAL_CAPACITY);
    robust = new RobustEstimator(INITIAL_CAPACITY);
    level = new LevelTracker(INITIAL_CAPACITY);
    seasonal = new SeasonalProfile(seasonalAvailable, INITIAL_CAPACITY);
    tails = new TailGuard(INITIAL_CAPACITY);
    episodes = new Episodes(INITIAL_CAPACITY);
    likelihood = new Likelihood(INITIAL_CAPACITY);
    contexts = new ContextNovelty(INITIAL_CAPACITY);
    recent = new RecentShape(INITIAL_CAPACITY);
    contextLikelihood = new Likelihood(INITIAL_CAPACITY);
    scratch = new double[Math.max(1, tuningTable.maxWindowSize())];
  }

  /**
   * Feeds one point, in arrival order for its series.
   *
   * @return the ensemble score of the point: 0 while the series warms up and for values that are
   *     not finite, otherwise at least 0, where 1 or more means reported as anomalous; a point that
   *     continues an episode already reported, no worse, scores below 1 (see {@link Episodes});
   *     never NaN
   */
  public double observe(int seriesId, long timestampMillis, double value, AnomalySink sink) {
    pointsObserved++;
    int slot = slotOf(seriesId);
    if (!Double.isFinite(value)) {
      nonFiniteIgnored++;
      return 0;
    }
    Tuning tuning = tunings[tuningOf[slot]];
    int n = samples[slot] == Integer.MAX_VALUE ? Integer.MAX_VALUE : samples[slot] + 1;
    samples[slot] = n;
    if (n == 1) {
      start(slot, timestampMillis, value, tuning);
      return 0;
    }
    double intervalMillis = trackInterval(slot, timestampMillis);
    recent.add(slot, n, value);
    boolean warm = n > tuning.minSamples && tuning.enabledCount > 0;
    double currentLevel = level.level(slot);
    if (!fractional[slot] && value != Math.rint(value)) {
      fractional[slot] = true;
    }
    if (value < 0 && !nonNegativeName[slot]) {
      signed[slot] = true;
    }
    double floor =
        Math.max(tuning.minRelativeSpread * Math.abs(currentLevel), ABSOLUTE_SPREAD_FLOOR);
    if (!fractional[slot]) {
      floor = Math.max(floor, WHOLE_NUMBER_FLOOR);
    }

    // Score the point against the state before it. The expected range is the seasonal one when
    // the profile is warm, else the robust one, else the window's, else the level's.
    ensemble.clear();
    double center = currentLevel;
    double spread = level.standardDeviation(slot, floor);
    double threshold = tuning.zScoreThreshold;
    int hour = 0;
    int day = 0;
    double seasonalOffset = 0;
    double levelFloor = floor;
    boolean seasonalWarm = false;
    if (tuning.seasonal) {
      long epochDay = SeasonalProfile.epochDay(timestampMillis);
      hour = SeasonalProfile.hourOf(timestampMillis, epochDay);
      day = SeasonalProfile.dayOf(epochDay);
      seasonalOffset = seasonal.offset(slot, hour, day, tuning.weekly, intervalMillis);
      seasonalWarm = seasonal.warm(slot, hour, timestampMillis - firstSeen[slot], tuning);
      if (seasonal.filled(slot, hour, tuning.seasonalMinSamples)) {
        // An hour whose values vary widely (a peak that ends mid-hour) is no evidence of a shift.
        levelFloor = Math.max(floor, seasonal.deviation(slot, hour));
      }
      if (seasonalWarm && warm) {
        center = currentLevel + seasonalOffset;
        spread = Math.max(seasonal.deviation(slot, hour), SEASONAL_FLOOR_SHARE * spread);
        threshold = tuning.seasonalThreshold;
        ensemble.seasonal = Math.abs(value - center) / (threshold * spread);
      }
    }
    if (warm && tuning.robust && n == tuning.minSamples + 1) {
      robust.seed(slot, scratch, window.copyValues(slot, scratch));
    }
    // With a warm profile the local detectors cannot change the verdict (see Ensemble), so they
    // are not scored: it saves a third of the work per point.
    if (warm && tuning.robust && ensemble.seasonal < 0) {
      center = robust.median(slot);
      spread = robust.spread(slot, floor);
      threshold = tuning.robustThreshold;
      ensemble.robust = Math.abs(value - center) / (threshold * spread);
    }
    if (warm && tuning.zScore && ensemble.seasonal < 0) {
      double windowSpread = Math.max(window.standardDeviation(slot), floor);
      ensemble.zScore =
          Math.abs(value - window.mean(slot)) / (windowSpread * tuning.zScoreThreshold);
      if (!tuning.robust) {
        center = window.mean(slot);
        spread = windowSpread;
      }
    }
    double shift =
        level.update(slot, value - seasonalOffset, n, warm && tuning.level, levelFloor, tuning);
    if (warm && tuning.level) {
      ensemble.level = shift;
    }
    double score = 0;
    if (warm) {
      int scored = n - tuning.minSamples;
      // The first day only: a series whose hours fill slowly (hourly samples need twelve days)
      // is judged plainly from its second day on, by the local detectors.
      boolean firstDay =
          tuning.seasonal
              && !seasonalWarm
              && timestampMillis - firstSeen[slot] < SeasonalProfile.DAY_MILLIS;
      double caution = firstDay ? tuning.firstDayCaution : 1;
      score = ensemble.combine(tails, slot, scored, caution, tuning.likelihood);
      tails.update(slot, ensemble.rawPointScore(), scored);
    }
    // What the baselines learn is decided by the detectors' thresholds under either decision.
    boolean anomalous = score >= 1;
    double news;
    if (tuning.likelihood) {
      // The context channel learns from every point; it is judged by a likelihood of its own,
      // since its novelty and the detectors' deviations are on scales that do not mix (adding
      // or taking the larger of the two raw scores cost NAB 2 to 10 points).
      double novelty = contexts.update(slot, value, n);
      double context =
          warm && novelty != ContextNovelty.OFF ? contextLikelihood.tail(slot, novelty, false) : 0;
      news = warm ? likelihood.update(slot, score, value >= center, tuning.reportAt, context) : 0;
      if (warm && likelihood.reported()) {
        report(
            seriesId,
            slot,
            n,
            timestampMillis,
            value,
            score,
            center,
            threshold * spread,
            spread,
            intervalMillis,
            sink,
            false,
            context >= news);
        drifted[slot] = reportedKind == AnomalyKind.DRIFT;
      } else if (warm && !drifted[slot] && (n & 3) == 0 && likelihood.held(slot)) {
        // A drift is often reported within a few points, before a ramp can be told from a step;
        // once it can, while the episode is held, it is reported once more, as a drift.
        double slope = recent.driftSlope(slot, n, shapeScratch);
        boolean up = slope > 0;
        if (!Double.isNaN(slope)
            && up == likelihood.reportedUp(slot)
            && up == (direction(slot, value, center) == Direction.UP)) {
          drifted[slot] = true;
          report(
              seriesId,
              slot,
              n,
              timestampMillis,
              value,
              score,
              center,
              threshold * spread,
              spread,
              intervalMillis,
              sink,
              false,
              false);
        }
      }
    } else {
      news =
          anomalous
              ? report(
                  seriesId,
                  slot,
                  n,
                  timestampMillis,
                  value,
                  score,
                  center,
                  threshold * spread,
                  spread,
                  intervalMillis,
                  sink,
                  true,
                  false)
              : score;
    }

    // Learn from the point; anomalous points teach less (see the class comment).
    if (tuning.needsWindow()) {
      window.add(
          slot, anomalous ? clipToWindow(slot, value, floor, tuning) : value, tuning.windowSize);
    }
    if (warm && tuning.robust) {
      robust.update(slot, value, tuning.robustRate, tuning.robustShrink, floor);
    }
    if (tuning.seasonal) {
      // Until its hour is warm the profile has no standing to call a point anomalous, and it
      // must learn the first daily peak even though the local detectors flag it.
      boolean damped = anomalous && seasonalWarm;
      seasonal.update(slot, hour, day, value, tuning.weekly, intervalMillis, floor, damped);
    }
    if (shift >= 1 && warm && tuning.level) {
      double delta = level.confirmShift(slot);
      rebase(slot, delta, level.level(slot) + seasonalOffset, value, tuning, seasonalWarm);
    }
    return news;
  }

  /**
   * Reports an anomalous point to the sink unless it only continues an episode already reported;
   * returns its score as news (see {@link Episodes}). Kept out of {@link #observe} because it is
   * the rare path: a smaller hot method is compiled better.
   *
   * @param n the series' points so far, this one included
   * @param band the half-width of the expected range before the tail widening
   * @param contextual whether the likelihood reported the point for its context's novelty rather
   *     than for the detectors' scores
   */
  private double report(
      int seriesId,
      int slot,
      int n,
      long timestampMillis,
      double value,
      double score,
      double center,
      double band,
      double spread,
      double intervalMillis,
      AnomalySink sink,
      boolean episodic,
      boolean contextual) {
    Direction direction = direction(slot, value, center);
    double news =
        episodic
            ? episodes.news(slot, timestampMillis, score, direction == Direction.UP, intervalMillis)
            : score;
    if (episodic && news < 1) {
      return news;
    }
    anomaliesFound++;
    double halfWidth = band * ensemble.widening();
    double outside = Math.max(0, Math.abs(value - center) - halfWidth) / spread;
    double high = center + halfWidth;
    // A non-negative metric's range stops at zero; if its whole band lies below zero (a deep dip
    // in a falling baseline), the range is the single point zero.
    double low =
        signed[slot] ? center - halfWidth : Math.min(Math.max(0, center - halfWidth), high);
    if (!signed[slot] && high < 0) {
      low = 0;
      high = 0;
    }
    double slope = recent.driftSlope(slot, n, shapeScratch);
    AnomalyKind kind;
    double slopePerMinute = 0;
    if (!Double.isNaN(slope) && (slope > 0) == (direction == Direction.UP) && intervalMillis > 0) {
      kind = AnomalyKind.DRIFT;
      slopePerMinute = slope * 60_000 / intervalMillis;
    } else if (ensemble.pointIsOut()) {
      kind = AnomalyKind.POINT;
    } else if (score >= 1 || !contextual) {
      kind = AnomalyKind.SHIFT;
    } else {
      kind = AnomalyKind.CONTEXT;
    }
    reportedKind = kind;
    sink.accept(
        new Anomaly(
            registry.key(seriesId),
            timestampMillis,
            value,
            low,
            high,
            // A shift the CUSUM confirmed may sit inside the instant band: its strength is the
            // ensemble's score, never less than 1 for an anomaly.
            Math.min(Ensemble.MAX_SCORE, Math.max(outside, score)),
            ensemble.confidence(),
            direction,
            ensemble.firing(),
            kind,
            slopePerMinute));
    return news;
  }

  /** Which way a reported point went: its own way if it is out, else the way its level moved. */
  private Direction direction(int slot, double value, double center) {
    if (ensemble.pointIsOut()) {
      return value >= center ? Direction.UP : Direction.DOWN;
    }
    return level.direction(slot);
  }

  /** Feeds every point of a batch, in batch order. */
  public void observe(PointBatch batch, AnomalySink sink) {
    for (int i = 0, size = batch.size(); i < size; i++) {
      observe(batch.seriesId(i), batch.timestamp(i), batch.value(i), sink);
    }
  }

  /**
   * Whether this engine has seen a point of the series. A warm-up from history feeds only series it
   * has not seen: older points after newer ones would move the detectors back in time.
   */
  public boolean knows(int seriesId) {
    return seriesId >= 0 && seriesId < slotBySeries.length && slotBySeries[seriesId] > 0;
  }

  /** How many series have state in this engine. */
  public int seriesCount() {
    return slots;
  }

  /** Every point fed, including those ignored for a value that is not finite. */
  public long pointsObserved() {
    return pointsObserved;
  }

  public long anomaliesFound() {
    return anomaliesFound;
  }

  /** Points whose value was NaN or infinite: counted, and otherwise ignored. */
  public long nonFiniteIgnored() {
    return nonFiniteIgnored;
  }

  private void start(int slot, long timestampMillis, double value, Tuning tuning) {
    firstSeen[slot] = timestampMillis;
    fractional[slot] = value != Math.rint(value);
    signed[slot] = value < 0 && !nonNegativeName[slot];
    lastSeen[slot] = timestampMillis;
    level.start(slot, value);
    contexts.start(slot, value);
    recent.add(slot, 1, value);
    if (tuning.seasonal) {
      seasonal.start(slot, value);
    }
    if (tuning.needsWindow()) {
      window.add(slot, value, tuning.windowSize);
    }
  }

  /** An anomalous value enters the window at the edge of the range the window expected. */
  private double clipToWindow(int slot, double value, double floor, Tuning tuning) {
    if (window.size(slot) < 2) {
      return value;
    }
    double mean = window.mean(slot);
    double edge = tuning.zScoreThreshold * Math.max(window.standardDeviation(slot), floor);
    return Math.max(mean - edge, Math.min(mean + edge, value));
  }

  /**
   * Moves every baseline to the confirmed new level, so it is normal from now on. The window and
   * the robust median move to {@code newCenter}, not by {@code delta}: both have already followed
   * the shift part of the way while its evidence gathered, and adding the whole shift on top would
   * overshoot — after a burst that ended, far enough to put an error rate's median below zero. The
   * level is deseasonalised, and on a series' first day the hour's profile still moves with every
   * burst, so {@code newCenter} is itself kept between each baseline and the latest value.
   */
  private void rebase(
      int slot, double delta, double newCenter, double value, Tuning tuning, boolean seasonalWarm) {
    if (tuning.needsWindow() && window.size(slot) > 0) {
      double mean = window.mean(slot);
      window.shift(slot, between(newCenter, mean, value) - mean);
    }
    if (tuning.robust) {
      double median = robust.median(slot);
      robust.shift(slot, between(newCenter, median, value) - median);
    }
    // On its first day the profile learns fast enough to absorb a shift by itself; moving its
    // reference as well would count the shift twice.
    if (seasonalWarm) {
      seasonal.shift(slot, delta);
    }
  }

  /** {@code target} clamped to the interval between {@code a} and {@code b}. */
  private static double between(double target, double a, double b) {
    return Math.clamp(target, Math.min(a, b), Math.max(a, b));
  }

  private double trackInterval(int slot, long timestampMillis) {
    long gap = timestampMillis - lastSeen[slot];
    lastSeen[slot] = timestampMillis;
    float current = interval[slot];
    if (gap > 0) {
      double bounded = Math.min(gap, SeasonalProfile.DAY_MILLIS);
      current =
          current == 0 ? (float) bounded : (float) (current + INTERVAL_ALPHA * (bounded - current));
      interval[slot] = current;
    }
    return current;
  }

  private int slotOf(int seriesId) {
    if (seriesId < 0) {
      throw new IllegalArgumentException("series id must be >= 0, was " + seriesId);
    }
    if (seriesId >= slotBySeries.length) {
      slotBySeries =
          Arrays.copyOf(slotBySeries, Math.max(grown(slotBySeries.length), seriesId + 1));
    }
    int slot = slotBySeries[seriesId] - 1;
    return slot >= 0 ? slot : addSlot(seriesId);
  }

  private int addSlot(int seriesId) {
    int tuningIndex = tuningTable.indexOf(registry.key(seriesId).name());
    if (tuningIndex >= tunings.length) {
      tunings = tuningTable.toArray();
    }
    if (slots == capacity) {
      grow(grown(capacity));
    }
    int slot = slots++;
    tuningOf[slot] = tuningIndex;
    nonNegativeName[slot] = Domain.nonNegativeByName(registry.key(seriesId).name());
    slotBySeries[seriesId] = slot + 1;
    return slot;
  }

  /**
   * The next capacity: half as much again, not double, because per-series state is most of the heap
   * at high cardinality, and doubling leaves up to half of it unused (a third with this factor).
   */
  private static int grown(int capacity) {
    return Math.addExact(capacity, capacity / 2);
  }

  private void grow(int newCapacity) {
    tuningOf = Arrays.copyOf(tuningOf, newCapacity);
    samples = Arrays.copyOf(samples, newCapacity);
    firstSeen = Arrays.copyOf(firstSeen, newCapacity);
    fractional = Arrays.copyOf(fractional, newCapacity);
    signed = Arrays.copyOf(signed, newCapacity);
    nonNegativeName = Arrays.copyOf(nonNegativeName, newCapacity);
    lastSeen = Arrays.copyOf(lastSeen, newCapacity);
    interval = Arrays.copyOf(interval, newCapacity);
    window.grow(newCapacity);
    robust.grow(newCapacity);
    level.grow(newCapacity);
    seasonal.grow(newCapacity, seasonalAvailable);
    tails.grow(newCapacity);
    episodes.grow(newCapacity);
    likelihood.grow(newCapacity);
    contexts.grow(newCapacity);
    recent.grow(newCapacity);
    drifted = Arrays.copyOf(drifted, newCapacity);
    contextLikelihood.grow(newCapacity);
    capacity = newCapacity;
  }
}
