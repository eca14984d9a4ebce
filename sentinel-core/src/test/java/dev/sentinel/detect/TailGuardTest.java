package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TailGuardTest {

  @Test
  void light_tailed_noise_keeps_the_plain_thresholds() {
    TailGuard tails = new TailGuard(2);
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 1; n <= 20_000; n++) {
      tails.update(0, Math.abs(random.nextGaussian()) / 5, n);
    }

    assertThat(tails.factor(0, 20_000)).isEqualTo(1);
  }

  @Test
  void frequent_near_misses_widen_the_thresholds_up_to_the_cap() {
    TailGuard tails = new TailGuard(2);
    for (int n = 1; n <= 5_000; n++) {
      tails.update(0, n % 50 == 0 ? 0.9 : 0.1, n);
      tails.update(1, n % 50 == 0 ? 0.9 : 0.1, n);
    }

    assertThat(tails.factor(0, 5_000)).isEqualTo(TailGuard.MAX_FACTOR);
    assertThat(tails.factor(1, 5_000)).isEqualTo(TailGuard.MAX_FACTOR);
  }

  @Test
  void one_burst_does_not_widen_the_thresholds_of_a_series_watched_for_long() {
    TailGuard tails = new TailGuard(1);
    for (int n = 1; n <= 10_000; n++) {
      tails.update(0, 0.1, n);
    }
    for (int n = 10_001; n <= 10_003; n++) {
      tails.update(0, 3, n);
    }

    assertThat(tails.factor(0, 10_003)).isLessThan(1.2);
  }

  @Test
  void the_rate_fades_between_near_misses() {
    TailGuard tails = new TailGuard(1);
    for (int n = 1; n <= 3_000; n++) {
      tails.update(0, n % 100 == 0 ? 0.9 : 0.1, n);
    }
    double busy = tails.factor(0, 3_000);

    assertThat(busy).isGreaterThan(1.2);
    assertThat(tails.factor(0, 6_000)).isLessThan(busy);
    assertThat(tails.factor(0, 30_000)).isEqualTo(1);
  }

  @Test
  void heavy_tailed_noise_pages_less_but_a_large_spike_is_still_reported() {
    Probe heavy = Probe.withDefaults();
    Probe plain = Probe.withDefaults();
    SplittableRandom random = new SplittableRandom(21);
    int heavyFlags = 0;
    int plainFlags = 0;
    for (int i = 0; i < 20_000; i++) {
      long t = START + i * MINUTE;
      // Student's t with 5 degrees of freedom, scaled to unit variance, against Gaussian noise.
      double chi = 0;
      for (int k = 0; k < 5; k++) {
        double g = random.nextGaussian();
        chi += g * g;
      }
      double student = random.nextGaussian() / Math.sqrt(chi / 5) / Math.sqrt(5.0 / 3);
      heavyFlags += heavy.feed(t, 100 + student) ? 1 : 0;
      plainFlags += plain.feed(t, 100 + random.nextGaussian()) ? 1 : 0;
    }

    assertThat(heavyFlags).isLessThan(30);
    assertThat(plainFlags).isLessThan(5);
    assertThat(heavy.feed(START + 20_000 * MINUTE, 112)).isTrue();
  }
}
