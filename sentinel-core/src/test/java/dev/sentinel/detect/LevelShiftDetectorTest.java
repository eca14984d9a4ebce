package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LevelShiftDetectorTest {

  private final Probe probe = Probe.only(DetectorKind.LEVEL_SHIFT);

  @Test
  void a_sustained_mild_shift_fires_although_no_point_is_far_out() {
    probe.feedNoise(START, 500, 100, 1);

    int flagged = probe.feedNoise(START + 500 * MINUTE, 60, 101.5, 1);

    assertThat(flagged).isPositive();
    Anomaly first = probe.anomalies.get(0);
    assertThat(first.detectors()).containsExactly(DetectorKind.LEVEL_SHIFT);
    assertThat(first.direction()).isEqualTo(Direction.UP);
    assertThat(first.timestampMillis()).isLessThan(START + 540 * MINUTE);
  }

  @Test
  void a_downward_shift_fires_downwards() {
    probe.feedNoise(START, 500, 100, 1);

    probe.feedNoise(START + 500 * MINUTE, 60, 97, 1);

    assertThat(probe.anomalies).isNotEmpty();
    assertThat(probe.anomalies.get(0).direction()).isEqualTo(Direction.DOWN);
  }

  @Test
  void after_firing_the_new_level_becomes_normal() {
    probe.feedNoise(START, 500, 100, 1);
    probe.feedNoise(START + 500 * MINUTE, 100, 110, 1);

    int later = probe.feedNoise(START + 600 * MINUTE, 500, 110, 1);

    assertThat(probe.anomalies).isNotEmpty();
    assertThat(later).isZero();
  }

  @Test
  void a_single_spike_does_not_fire_it() {
    probe.feedNoise(START, 500, 100, 1);
    probe.feed(START + 500 * MINUTE, 1_000);

    int after = probe.feedNoise(START + 501 * MINUTE, 100, 100, 1);

    assertThat(probe.anomalies).isEmpty();
    assertThat(after).isZero();
  }

  @Test
  void a_trend_change_is_caught_while_it_ramps() {
    probe.feedNoise(START, 500, 100, 1);
    boolean caught = false;
    for (int i = 0; i < 200; i++) {
      caught |= probe.feed(START + (500 + i) * MINUTE, 100 + 0.2 * i + probe.gaussian());
    }

    assertThat(caught).isTrue();
  }

  @Test
  void autocorrelated_wandering_noise_rarely_fires() {
    SplittableRandom random = new SplittableRandom(3);
    double noise = 0;
    int flagged = 0;
    for (int i = 0; i < 20_000; i++) {
      noise = 0.8 * noise + random.nextGaussian();
      if (probe.feed(START + i * MINUTE, 100 + noise)) {
        flagged++;
      }
    }

    assertThat(flagged).isLessThan(20);
  }
}
