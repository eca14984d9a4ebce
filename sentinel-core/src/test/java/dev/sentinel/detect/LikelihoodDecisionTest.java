package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.DAY;
import static dev.sentinel.detect.Probe.HOUR;
import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The default decision: an anomaly likelihood over the series' own scores (see Likelihood). */
class LikelihoodDecisionTest {

  private static Probe withSensitivity(double sensitivity) {
    return new Probe(
        new DetectionConfig(
            MetricDetection.defaults()
                .withDecision(Decision.LIKELIHOOD)
                .withSensitivity(sensitivity),
            List.of()),
        "test_metric",
        7);
  }

  @Test
  void the_anomaly_score_is_the_gaussian_tail_probability_on_a_log_scale() {
    // One chance in 100,000 (z = 4.265) reads 0.5; one in 10^10 or less reads 1.
    assertThat(Likelihood.scoreOf(4.2649)).isCloseTo(0.5, within(0.001));
    assertThat(Likelihood.scoreOf(1.2816)).isCloseTo(0.1, within(0.001));
    assertThat(Likelihood.scoreOf(0)).isCloseTo(Math.log10(2) / 10, within(1e-6));
    assertThat(Likelihood.scoreOf(7)).isEqualTo(1);
    assertThat(Likelihood.scoreOf(-3)).isGreaterThanOrEqualTo(0).isLessThan(1e-4);
    assertThat(Likelihood.scoreOf(-1)).isLessThan(Likelihood.scoreOf(-0.5));
  }

  @Test
  void every_score_of_the_likelihood_decision_lies_between_0_and_1_and_a_report_reaches_the_bar() {
    Probe probe = withSensitivity(1);
    for (int i = 0; i < 3_000; i++) {
      double value = 100 + probe.gaussian() + (i % 700 == 699 ? 30 : 0);
      boolean reported = probe.feed(START + i * MINUTE, value);
      assertThat(probe.lastScore()).isBetween(0.0, 1.0);
      if (reported) {
        assertThat(probe.lastScore()).isGreaterThanOrEqualTo(0.5);
      }
    }
    assertThat(probe.anomalies).isNotEmpty();
  }

  @Test
  void a_higher_sensitivity_reports_at_a_lower_score_and_never_less_often() {
    int previous = -1;
    for (double sensitivity : new double[] {0.5, 1, 2, 4}) {
      Probe probe = withSensitivity(sensitivity);
      for (int i = 0; i < 5_000; i++) {
        // Heavy-tailed noise with an occasional burst: something for every sensitivity to judge.
        double noise = probe.gaussian() * (i % 500 < 5 ? 4 : 1);
        if (probe.feed(START + i * MINUTE, 100 + noise)) {
          assertThat(probe.lastScore()).isGreaterThanOrEqualTo(0.5 / sensitivity);
        }
      }
      assertThat(probe.anomalies.size()).isGreaterThanOrEqualTo(previous);
      previous = probe.anomalies.size();
    }
    assertThat(previous).isPositive();
  }

  @Test
  void a_sustained_shift_of_three_noise_widths_is_reported_within_ten_points() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 2_000, 100, 1.5);
    probe.anomalies.clear();

    int reportedAt = -1;
    for (int i = 0; i < 40 && reportedAt < 0; i++) {
      if (probe.feed(START + (2_000 + i) * MINUTE, 104.5 + 1.5 * probe.gaussian())) {
        reportedAt = i;
      }
    }

    assertThat(reportedAt).isBetween(0, 9);
    // A step, not a drift: the level jumped and stays, and no later report calls it one.
    assertThat(probe.lastAnomaly().kind()).isEqualTo(AnomalyKind.SHIFT);
    for (int i = 0; i < 40; i++) {
      probe.feed(START + (2_040 + i) * MINUTE, 104.5 + 1.5 * probe.gaussian());
    }
    assertThat(probe.anomalies).noneMatch(anomaly -> anomaly.kind() == AnomalyKind.DRIFT);
  }

  @Test
  void a_one_percent_per_minute_drift_is_reported_within_ten_minutes_as_a_drift_with_its_slope() {
    // A memory gauge sampled every 15 s, noise 0.2 % of its level, then a leak of 1 % a minute.
    Probe probe = Probe.withDefaults();
    long step = 15_000;
    double base = 4.3e9;
    int history = 5_760;
    for (int i = 0; i < history; i++) {
      probe.feed(START + i * step, base * (1 + 0.002 * probe.gaussian()));
    }
    probe.anomalies.clear();

    long tenMinutes = 10 * MINUTE / step;
    for (int i = 1; i <= tenMinutes; i++) {
      double minutes = i * step / (double) MINUTE;
      probe.feed(
          START + (history + i) * step, base * (1 + 0.01 * minutes + 0.002 * probe.gaussian()));
    }

    // Reported at once (as a shift: two points cannot tell a ramp from a step), then, once the
    // ramp is clear, labelled as a drift of about 1 % of the base a minute: 43 MB a minute.
    assertThat(probe.anomalies).isNotEmpty();
    assertThat(probe.anomalies).allMatch(anomaly -> anomaly.direction() == Direction.UP);
    Anomaly leak = drift(probe);
    assertThat(leak.slopePerMinute()).isCloseTo(0.01 * base, within(0.3 * 0.01 * base));
    assertThat(leak.describe()).contains("drifting up by");
  }

  @Test
  void a_disk_filling_is_reported_within_ten_minutes_as_a_drift_with_its_slope() {
    // Free bytes a minute apart, noise 0.3 GB, then falling by 1 % of 200 GB a minute.
    Probe probe = Probe.withDefaults();
    double free = 200e9;
    int history = 2_000;
    for (int i = 0; i < history; i++) {
      probe.feed(START + i * MINUTE, free + 0.3e9 * probe.gaussian());
    }
    probe.anomalies.clear();

    for (int i = 1; i <= 10; i++) {
      probe.feed(START + (history + i) * MINUTE, free * (1 - 0.01 * i) + 0.3e9 * probe.gaussian());
    }

    Anomaly filling = drift(probe);
    assertThat(filling.direction()).isEqualTo(Direction.DOWN);
    assertThat(filling.slopePerMinute()).isCloseTo(-0.01 * free, within(0.3 * 0.01 * free));
  }

  /** The one anomaly of the probe labelled as a drift. */
  private static Anomaly drift(Probe probe) {
    List<Anomaly> drifts =
        probe.anomalies.stream().filter(anomaly -> anomaly.kind() == AnomalyKind.DRIFT).toList();
    assertThat(drifts).hasSize(1);
    return drifts.get(0);
  }

  @Test
  void a_spike_is_a_point_not_a_drift() {
    Probe probe = Probe.withDefaults();
    probe.feedNoise(START, 2_000, 100, 1.5);
    probe.anomalies.clear();

    assertThat(probe.feed(START + 2_000 * MINUTE, 130)).isTrue();
    assertThat(probe.lastAnomaly().kind()).isEqualTo(AnomalyKind.POINT);
    assertThat(probe.lastAnomaly().slopePerMinute()).isZero();
  }

  @Test
  void a_daily_cycle_and_a_slowly_growing_business_metric_are_not_reported() {
    // Orders a minute: a daily cycle of ±40 % around a level that grows 2 % a day, two weeks.
    Probe probe = Probe.withDefaults();
    int reportedAfterFirstDays = 0;
    for (long t = START; t < START + 14 * DAY; t += 5 * MINUTE) {
      double days = (t - START) / (double) DAY;
      double hour = Math.floorMod(t, DAY) / (double) HOUR;
      double level = 1_000 * (1 + 0.02 * days);
      double value = level * (1 + 0.4 * Math.sin(2 * Math.PI * hour / 24)) + 15 * probe.gaussian();
      if (probe.feed(t, value) && t >= START + 2 * DAY) {
        reportedAfterFirstDays++;
      }
    }

    assertThat(reportedAfterFirstDays).isZero();
  }

  /**
   * An error rate sampled every {@code step}: six hours of history a minute apart, then a burst
   * from 0.5 % to 18 % lasting {@code burst}, a restart (3 s of 20 %), {@code gap} back at normal,
   * and the same burst again, for {@code burst}. Returns the reports, in seconds after the first
   * burst began.
   */
  private static List<Long> repeatedFault(long step, long burst, long gap) {
    Probe probe = Probe.withDefaults();
    long t = START;
    for (int i = 0; i < 360; i++, t += MINUTE) {
      probe.feed(t, 0.005 * (1 + 0.1 * probe.gaussian()));
    }
    long first = t + 10 * MINUTE;
    long restart = first + burst;
    long second = restart + 3_000 + gap;
    long end = second + burst;
    for (; t < end + 10 * MINUTE; t += step) {
      double value = 0.005 * (1 + 0.1 * probe.gaussian());
      if ((t >= first && t < restart) || (t >= second && t < end)) {
        value += 0.18;
      } else if (t >= restart && t < restart + 3_000) {
        value = 0.2;
      }
      probe.feed(t, value);
    }
    return probe.anomalies.stream()
        .filter(anomaly -> anomaly.value() > 0.1 && anomaly.direction() == Direction.UP)
        .map(anomaly -> (anomaly.timestampMillis() - first) / 1_000)
        .toList();
  }

  @Test
  void the_same_fault_again_soon_after_a_fix_is_reported_again() {
    // Within the hold after the first report (100 points): a second every second, 15 s after
    // recovery; a point every 10 s, two minutes after.
    assertThat(repeatedFault(1_000, 20_000, 15_000)).containsExactly(0L, 38L);
    assertThat(repeatedFault(10_000, 60_000, 2 * MINUTE)).containsExactly(0L, 190L);
    // As in the demo: ten seconds of fault, fixed, and back after nine seconds, while the level
    // detector is still settling on the recovered level.
    assertThat(repeatedFault(1_000, 7_000, 9_000)).containsExactly(0L, 19L);
    // A fault that lasts is reported once, at its onset.
    assertThat(repeatedFault(1_000, 5 * MINUTE, 15_000)).containsExactly(0L, 318L);
    // Long after the hold, as before.
    assertThat(repeatedFault(1_000, 20_000, 5 * MINUTE)).containsExactly(0L, 323L);
  }
}
