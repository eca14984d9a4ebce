package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RobustDetectorTest {

  private final Probe probe = Probe.only(DetectorKind.ROBUST);

  @Test
  void a_spike_and_a_dip_are_flagged() {
    probe.feedNoise(START, 300, 50, 2);

    assertThat(probe.feed(START + 300 * MINUTE, 75)).isTrue();
    assertThat(probe.lastAnomaly().direction()).isEqualTo(Direction.UP);
    assertThat(probe.lastAnomaly().detectors()).containsExactly(DetectorKind.ROBUST);
    assertThat(probe.feed(START + 301 * MINUTE, 25)).isTrue();
    assertThat(probe.lastAnomaly().direction()).isEqualTo(Direction.DOWN);
  }

  @Test
  void the_median_expectation_tracks_the_level_of_noisy_data() {
    probe.feedNoise(START, 2_000, 50, 2);
    probe.feed(START + 2_000 * MINUTE, 100);

    Anomaly anomaly = probe.lastAnomaly();
    double center = (anomaly.expectedLow() + anomaly.expectedHigh()) / 2;
    double halfWidth = (anomaly.expectedHigh() - anomaly.expectedLow()) / 2;
    assertThat(center).isBetween(49.0, 51.0);
    // Six scaled MADs of noise with sigma 2: about 12.
    assertThat(halfWidth).isBetween(9.0, 15.0);
  }

  @Test
  void a_burst_of_outliers_does_not_blind_it_to_the_next_spike() {
    probe.feedNoise(START, 300, 50, 2);
    for (int i = 0; i < 5; i++) {
      probe.feed(START + (300 + i) * MINUTE, 500);
    }
    probe.feedNoise(START + 305 * MINUTE, 20, 50, 2);

    assertThat(probe.feed(START + 325 * MINUTE, 75)).isTrue();
  }

  @Test
  void gaussian_noise_rarely_fires() {
    assertThat(probe.feedNoise(START, 20_000, 50, 2)).isLessThan(20);
  }

  @Test
  void nothing_is_flagged_during_the_warm_up() {
    for (int i = 0; i < 30; i++) {
      assertThat(probe.feed(START + i * MINUTE, i * i)).isFalse();
    }
  }

  @Test
  void a_constant_series_flags_a_change() {
    for (int i = 0; i < 100; i++) {
      probe.feed(START + i * MINUTE, 42.5);
    }
    assertThat(probe.feed(START + 100 * MINUTE, 44.5)).isTrue();
    assertThat(probe.lastScore()).isFinite();
  }
}
