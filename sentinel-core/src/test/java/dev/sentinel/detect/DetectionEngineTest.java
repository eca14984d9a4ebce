package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.DAY;
import static dev.sentinel.detect.Probe.HOUR;
import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectionEngineTest {

  /** A day and an hour of points a minute apart: the seasonal profile then knows every hour. */
  private static final int HISTORY = 1_500;

  @Test
  void on_its_first_day_a_series_needs_clearer_evidence_than_after_it() {
    // The caution divides the detectors' scores, so it is seen plainly under the threshold
    // decision. 6 deviations: past the z-score's 5 and the median's 6 scaled MADs, but not 1.5
    // times past.
    Probe fresh = Probe.withThresholds();
    fresh.feedNoise(START, 500, 100, 1);
    assertThat(fresh.feed(START + 500 * MINUTE, 107)).isFalse();
    assertThat(fresh.feed(START + 501 * MINUTE, 100 + 12)).isTrue();

    Probe known = Probe.withThresholds();
    known.feedNoise(START, HISTORY, 100, 1);
    assertThat(known.feed(START + HISTORY * MINUTE, 107)).isTrue();

    // A caution of 1 judges the first day like any other.
    MetricDetection plain =
        MetricDetection.defaults().withFirstDayCaution(1).withDecision(Decision.THRESHOLD);
    Probe uncautious = new Probe(new DetectionConfig(plain, List.of()), "test_metric", 7);
    uncautious.feedNoise(START, 500, 100, 1);
    assertThat(uncautious.feed(START + 500 * MINUTE, 107)).isTrue();
  }

  @Test
  void a_large_spike_is_flagged_by_the_ensemble_with_high_confidence() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 500, 100, 1);

    assertThat(probe.feed(START + 500 * MINUTE, 140)).isTrue();

    Anomaly anomaly = probe.lastAnomaly();
    assertThat(anomaly.series()).isEqualTo(SeriesKey.of("test_metric"));
    assertThat(anomaly.timestampMillis()).isEqualTo(START + 500 * MINUTE);
    assertThat(anomaly.value()).isEqualTo(140);
    assertThat(anomaly.detectors()).contains(DetectorKind.ZSCORE, DetectorKind.ROBUST);
    assertThat(anomaly.confidence()).isGreaterThan(0.6).isLessThanOrEqualTo(1);
    assertThat(anomaly.expectedLow()).isLessThan(100).isGreaterThan(90);
    assertThat(anomaly.expectedHigh()).isGreaterThan(100).isLessThan(110);
  }

  @Test
  void a_variance_change_is_flagged_at_its_onset() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, HISTORY, 100, 1);

    int flagged = probe.feedNoise(START + HISTORY * MINUTE, 200, 100, 8);

    // Reported once per episode: the likelihood holds the series quiet after a report.
    assertThat(flagged).isPositive();
    assertThat(probe.anomalies.get(0).timestampMillis())
        .isLessThan(START + (HISTORY + 20) * MINUTE);
  }

  @Test
  void a_level_shift_is_flagged_at_its_onset_and_then_accepted() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 500, 100, 1);

    int atOnset = probe.feedNoise(START + 500 * MINUTE, 20, 110, 1);
    int afterwards = probe.feedNoise(START + 520 * MINUTE, 500, 110, 1);

    assertThat(atOnset).isPositive();
    assertThat(afterwards).isLessThan(3);
  }

  @Test
  void normal_daily_and_weekly_cycles_stay_below_a_small_false_positive_rate() {
    Probe probe = Probe.withDefaults();
    SplittableRandom random = new SplittableRandom(11);
    double noise = 0;
    int flagged = 0;
    int points = 0;
    for (long t = START; t < START + 14 * DAY; t += 5 * MINUTE) {
      double hour = Math.floorMod(t, DAY) / (double) HOUR;
      boolean weekend = Math.floorDiv(t - START, DAY) % 7 >= 5;
      noise = 0.5 * noise + random.nextGaussian();
      double value =
          500 + (weekend ? 0.7 : 1) * 100 * Math.sin(2 * Math.PI * (hour - 9) / 24) + 4 * noise;
      boolean anomalous = probe.feed(t, value);
      if (t >= START + 2 * DAY) {
        points++;
        flagged += anomalous ? 1 : 0;
      }
    }

    assertThat(flagged).isLessThan(points / 200); // below 0.5 % after two days
  }

  @Test
  void a_constant_series_with_one_blip_flags_only_the_blip() {
    Probe probe = Probe.withDefaults();
    int flagged = 0;
    for (int i = 0; i < 3 * 1440; i++) {
      boolean blip = i == 2_000;
      // 260 is eight times the spread floor of a series at 250 (half a percent of its level).
      boolean reported = probe.feed(START + i * MINUTE, blip ? 260 : 250);
      assertThat(reported).as("point %d", i).isEqualTo(blip);
      flagged += reported ? 1 : 0;
    }

    assertThat(flagged).isEqualTo(1);
  }

  @Test
  void a_gap_in_the_data_is_not_an_anomaly() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 2_000, 100, 1);

    int afterGap = probe.feedNoise(START + 2_000 * MINUTE + 6 * HOUR, 500, 100, 1);

    assertThat(afterGap).isZero();
  }

  @Test
  void a_step_is_reported_at_its_onset_not_at_every_point_until_it_is_accepted() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 500, 100, 1);

    int flagged = probe.feedNoise(START + 500 * MINUTE, 60, 112, 1);

    assertThat(flagged).isBetween(1, 2);
    assertThat(probe.anomalies.get(0).timestampMillis()).isEqualTo(START + 500 * MINUTE);
  }

  @Test
  void scores_are_zero_during_warm_up_and_never_negative_or_nan() {
    Probe probe = Probe.withDefaults();
    for (int i = 0; i < 30; i++) {
      probe.feed(START + i * MINUTE, i % 3 == 0 ? 1e6 : 1);
      assertThat(probe.lastScore()).isZero();
    }
    for (int i = 30; i < 2_000; i++) {
      probe.feed(START + i * MINUTE, (i % 7) * 3 + probe.gaussian());
      assertThat(probe.lastScore()).isNotNaN().isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void non_finite_values_are_counted_and_do_not_corrupt_the_state() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 300, 100, 1);

    assertThat(probe.feed(START + 300 * MINUTE, Double.NaN)).isFalse();
    assertThat(probe.lastScore()).isZero();
    probe.feed(START + 301 * MINUTE, Double.POSITIVE_INFINITY);
    probe.feed(START + 302 * MINUTE, Double.NEGATIVE_INFINITY);
    int flaggedAfter = probe.feedNoise(START + 303 * MINUTE, 100, 100, 1);

    assertThat(probe.engine.nonFiniteIgnored()).isEqualTo(3);
    assertThat(probe.engine.pointsObserved()).isEqualTo(403);
    assertThat(flaggedAfter).isZero();
    assertThat(probe.feed(START + 403 * MINUTE, 130)).isTrue();
  }

  @Test
  void a_per_metric_override_is_applied_by_metric_name() {
    MetricOverride quiet =
        new MetricOverride(
            "batch_*", MetricDetection.inherit().withDetectors(EnumSet.noneOf(DetectorKind.class)));
    MetricOverride touchy =
        new MetricOverride("latency_*", MetricDetection.inherit().withSensitivity(4));
    DetectionConfig config =
        DetectionConfig.of(
            MetricDetection.defaults().withDecision(Decision.THRESHOLD), quiet, touchy);
    SeriesRegistry registry = new SeriesRegistry();
    int batchJob = registry.intern(SeriesKey.of("batch_duration", Map.of("job", "nightly")));
    int latency = registry.intern(SeriesKey.of("latency_ms", Map.of("service", "api")));
    int cpu = registry.intern(SeriesKey.of("cpu_usage"));
    DetectionEngine engine = new DetectionEngine(config, registry);
    List<Anomaly> anomalies = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < HISTORY; i++) {
      long t = START + i * MINUTE;
      engine.observe(batchJob, t, 100 + random.nextGaussian(), anomalies::add);
      engine.observe(latency, t, 100 + random.nextGaussian(), anomalies::add);
      engine.observe(cpu, t, 100 + random.nextGaussian(), anomalies::add);
    }
    anomalies.clear();

    long t = START + HISTORY * MINUTE;
    engine.observe(batchJob, t, 200, anomalies::add);
    engine.observe(latency, t, 103, anomalies::add);
    engine.observe(cpu, t, 103, anomalies::add);

    assertThat(anomalies).extracting(a -> a.series().name()).containsExactly("latency_ms");
    assertThat(engine.seriesCount()).isEqualTo(3);
  }

  @Test
  void a_batch_gives_the_same_verdicts_as_single_points() {
    SeriesRegistry registry = new SeriesRegistry();
    int[] ids = new int[3];
    for (int s = 0; s < ids.length; s++) {
      ids[s] = registry.intern(SeriesKey.of("requests", Map.of("shard", "s" + s)));
    }
    DetectionEngine single = new DetectionEngine(DetectionConfig.builtIn(), registry);
    DetectionEngine batched = new DetectionEngine(DetectionConfig.builtIn(), registry);
    List<Anomaly> fromSingle = new ArrayList<>();
    List<Anomaly> fromBatch = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(9);
    PointBatch batch = new PointBatch(4);
    for (int i = 0; i < 400; i++) {
      for (int id : ids) {
        double value = i == 300 && id == ids[1] ? 90 : 10 + random.nextGaussian();
        single.observe(id, START + i * MINUTE, value, fromSingle::add);
        batch.add(id, START + i * MINUTE, value);
      }
    }
    batched.observe(batch, fromBatch::add);

    assertThat(fromBatch).isEqualTo(fromSingle).isNotEmpty();
    assertThat(batched.pointsObserved()).isEqualTo(1_200);
    assertThat(batched.anomaliesFound()).isEqualTo(single.anomaliesFound());
  }

  @Test
  void state_grows_past_the_initial_capacity_without_mixing_series() {
    SeriesRegistry registry = new SeriesRegistry();
    DetectionEngine engine = new DetectionEngine(DetectionConfig.builtIn(), registry);
    int count = 5_000;
    int[] ids = new int[count];
    for (int s = 0; s < count; s++) {
      ids[s] = registry.intern(SeriesKey.of("gauge", Map.of("id", Integer.toString(s))));
    }
    List<Anomaly> anomalies = new ArrayList<>();
    // 70 points: past the detectors' warm-up (30) and the likelihood's (30 more).
    for (int i = 0; i < 70; i++) {
      for (int s = 0; s < count; s++) {
        engine.observe(ids[s], START + i * MINUTE, s + (i % 2) * 0.01 * (s + 1), anomalies::add);
      }
    }

    assertThat(engine.seriesCount()).isEqualTo(count);
    assertThat(anomalies).isEmpty();
    engine.observe(ids[4_321], START + 70 * MINUTE, 9_000, anomalies::add);
    assertThat(anomalies)
        .singleElement()
        .satisfies(a -> assertThat(a.series().label("id")).isEqualTo("4321"));
  }

  @Test
  void a_trend_change_is_flagged_while_it_ramps() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, HISTORY, 100, 1);

    int flagged = 0;
    for (int i = 0; i < 120; i++) {
      flagged +=
          probe.feed(START + (HISTORY + i) * MINUTE, 100 + 0.25 * i + probe.gaussian()) ? 1 : 0;
    }

    assertThat(flagged).isPositive();
    assertThat(probe.anomalies.get(0).direction()).isEqualTo(Direction.UP);
  }

  @Test
  void a_missing_daily_peak_is_flagged_with_every_detector_on() {
    // Under the likelihood this peak scores 0.44 at most (the peak's edges raise the series' own
    // score spread every day), short of the default 0.5: the threshold decision flags it.
    Probe probe = Probe.withThresholds();
    int flaggedInMissingPeak = 0;
    for (long t = START; t < START + 6 * DAY; t += 5 * MINUTE) {
      long hour = Math.floorMod(t, DAY) / HOUR;
      boolean peakHours = hour >= 14 && hour < 17;
      boolean lastDay = t >= START + 5 * DAY;
      double value = 40 + (peakHours && !lastDay ? 30 : 0) + probe.gaussian();
      boolean flagged = probe.feed(t, value);
      if (flagged && lastDay && peakHours) {
        flaggedInMissingPeak++;
      }
    }

    assertThat(flaggedInMissingPeak).isPositive();
  }

  @Test
  void the_warm_up_length_follows_the_metric_settings() {
    DetectionConfig config =
        DetectionConfig.of(
            MetricDetection.defaults(),
            new MetricOverride("slow_*", MetricDetection.inherit().withMinSamples(200)));
    Probe probe = new Probe(config, "slow_gauge", 3);
    probe.feedNoise(START, 150, 10, 1);

    assertThat(probe.feed(START + 150 * MINUTE, 1_000)).isFalse();
    assertThat(probe.lastScore()).isZero();
    probe.feedNoise(START + 151 * MINUTE, 100, 10, 1);
    assertThat(probe.feed(START + 251 * MINUTE, 1_000)).isTrue();
  }

  /**
   * Bursts that come and go in an error rate on its first day (the demo's faults and restarts): the
   * level detector confirms a shift up and one back down each time. Every baseline must then land
   * where the series is, never past it: an expected range centred below zero for a rate that is
   * never negative makes a healthy value look sick, and a fix can never be seen to work.
   */
  @Test
  void bursts_that_end_leave_the_expected_range_where_the_series_is() {
    List<String> misplaced = new ArrayList<>();
    for (long seed = 1; seed <= 3_000; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      SeriesRegistry registry = new SeriesRegistry();
      DetectionEngine engine = new DetectionEngine(DetectionConfig.builtIn(), registry);
      int id = registry.intern(SeriesKey.of("error_rate", Map.of("service", "checkout")));
      List<Anomaly> found = new ArrayList<>();
      long t = START;
      for (int i = 0; i < 360; i++, t += MINUTE) {
        engine.observe(id, t, 0.0055 * (1 + 0.2 * random.nextGaussian()), found::add);
      }
      for (int segment = 0; segment < 12; segment++) {
        int kind = random.nextInt(3);
        int length =
            kind == 0
                ? 5 + random.nextInt(60)
                : kind == 1 ? 3 + random.nextInt(40) : 2 + random.nextInt(5);
        double level = kind == 0 ? 0.0055 : kind == 1 ? 0.05 + 0.3 * random.nextDouble() : 0.3;
        for (int i = 0; i < length; i++, t += 1_000) {
          double value = Math.max(0, level * (1 + 0.15 * random.nextGaussian()));
          engine.observe(id, t, value, found::add);
        }
      }
      for (Anomaly anomaly : found) {
        if (anomaly.expectedLow() + anomaly.expectedHigh() < 0) {
          misplaced.add(
              "seed " + seed + ": " + anomaly.expectedLow() + ".." + anomaly.expectedHigh());
        }
      }
    }

    assertThat(misplaced).isEmpty();
  }
}
