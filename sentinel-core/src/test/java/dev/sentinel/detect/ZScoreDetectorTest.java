package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZScoreDetectorTest {

  private final Probe probe = Probe.only(DetectorKind.ZSCORE);

  @Test
  void a_spike_is_flagged_upwards_with_the_window_range() {
    probe.feedNoise(START, 200, 100, 1);

    boolean flagged = probe.feed(START + 200 * MINUTE, 110);

    assertThat(flagged).isTrue();
    Anomaly anomaly = probe.lastAnomaly();
    assertThat(anomaly.direction()).isEqualTo(Direction.UP);
    assertThat(anomaly.detectors()).containsExactly(DetectorKind.ZSCORE);
    assertThat(anomaly.expectedLow()).isBetween(93.0, 97.0);
    assertThat(anomaly.expectedHigh()).isBetween(103.0, 107.0);
    assertThat(anomaly.score()).isGreaterThan(0);
    assertThat(probe.lastScore()).isGreaterThan(1.5);
  }

  @Test
  void a_dip_is_flagged_downwards() {
    probe.feedNoise(START, 200, 100, 1);

    assertThat(probe.feed(START + 200 * MINUTE, 90)).isTrue();
    assertThat(probe.lastAnomaly().direction()).isEqualTo(Direction.DOWN);
  }

  @Test
  void gaussian_noise_rarely_fires() {
    int flagged = probe.feedNoise(START, 20_000, 100, 1);

    assertThat(flagged).isLessThan(20); // a rate below 0.1 %
  }

  @Test
  void nothing_is_flagged_during_the_warm_up() {
    for (int i = 0; i < 30; i++) {
      double value = i % 2 == 0 ? 1 : 1_000;
      assertThat(probe.feed(START + i * MINUTE, value)).isFalse();
      assertThat(probe.lastScore()).isZero();
    }
    assertThat(probe.engine.anomaliesFound()).isZero();
  }

  @Test
  void one_spike_does_not_make_the_next_fifty_points_anomalous() {
    probe.feedNoise(START, 200, 100, 1);
    assertThat(probe.feed(START + 200 * MINUTE, 150)).isTrue();

    int after = probe.feedNoise(START + 201 * MINUTE, 50, 100, 1);

    assertThat(after).isZero();
  }

  @Test
  void a_persistent_deviation_is_reported_at_its_onset_and_again_when_it_worsens() {
    probe.feedNoise(START, 200, 100, 1);

    assertThat(probe.feed(START + 200 * MINUTE, 130)).isTrue();
    for (int i = 1; i < 10; i++) {
      assertThat(probe.feed(START + (200 + i) * MINUTE, 129)).isFalse();
      // Still out of range, but no news: it scores as its share of the onset's score.
      assertThat(probe.lastScore()).isPositive().isLessThan(1);
    }
    assertThat(probe.feed(START + 210 * MINUTE, 400)).as("much worse").isTrue();
    assertThat(probe.feed(START + 211 * MINUTE, 40)).as("turned the other way").isTrue();
  }

  @Test
  void a_change_in_a_constant_series_is_anomalous_without_dividing_by_zero() {
    for (int i = 0; i < 100; i++) {
      assertThat(probe.feed(START + i * MINUTE, 5.25)).isFalse();
    }

    assertThat(probe.feed(START + 100 * MINUTE, 6.25)).isTrue();
    assertThat(probe.lastScore()).isFinite().isPositive();
    assertThat(probe.lastAnomaly().confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void a_constant_series_at_zero_flags_a_fractional_change() {
    for (int i = 0; i < 100; i++) {
      probe.feed(START + i * MINUTE, 0.0);
    }

    assertThat(probe.feed(START + 100 * MINUTE, 0.5)).isTrue();
    assertThat(probe.lastScore()).isFinite();
  }

  @Test
  void a_whole_number_series_ignores_a_count_of_one_but_not_a_burst() {
    for (int i = 0; i < 100; i++) {
      probe.feed(START + i * MINUTE, 0);
    }

    assertThat(probe.feed(START + 100 * MINUTE, 1)).isFalse();
    assertThat(probe.feed(START + 101 * MINUTE, 0)).isFalse();
    assertThat(probe.feed(START + 102 * MINUTE, 12)).isTrue();
  }
}
