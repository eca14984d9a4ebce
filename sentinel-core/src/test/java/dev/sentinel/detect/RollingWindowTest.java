package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RollingWindowTest {

  @Test
  void mean_and_deviation_match_a_direct_computation_after_many_wraps() {
    RollingWindow window = new RollingWindow(16, 4);
    SplittableRandom random = new SplittableRandom(1);
    double[] last = new double[10];
    for (int i = 0; i < 100_003; i++) {
      double value = 1e9 + 1e3 * random.nextGaussian();
      window.add(2, value, 10);
      last[i % 10] = value;
    }
    double mean = 0;
    for (double value : last) {
      mean += value / 10;
    }
    double squares = 0;
    for (double value : last) {
      squares += (value - mean) * (value - mean);
    }

    assertThat(window.size(2)).isEqualTo(10);
    assertThat(window.mean(2)).isCloseTo(mean, within(1.0));
    assertThat(window.standardDeviation(2)).isCloseTo(Math.sqrt(squares / 9), within(1.0));
  }

  @Test
  void a_shift_moves_the_mean_and_keeps_the_spread() {
    RollingWindow window = new RollingWindow(8, 1);
    for (int i = 0; i < 8; i++) {
      window.add(0, i, 8);
    }
    double spread = window.standardDeviation(0);

    window.shift(0, 100);

    assertThat(window.mean(0)).isCloseTo(103.5, within(1e-9));
    assertThat(window.standardDeviation(0)).isCloseTo(spread, within(1e-9));
  }

  @Test
  void slots_grow_without_losing_state() {
    RollingWindow window = new RollingWindow(8, 1);
    window.add(0, 5, 8);
    window.add(0, 7, 8);

    window.grow(64);
    window.add(63, 1, 8);

    assertThat(window.mean(0)).isEqualTo(6);
    assertThat(window.mean(63)).isEqualTo(1);
  }
}
