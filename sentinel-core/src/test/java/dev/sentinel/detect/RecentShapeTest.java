package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class RecentShapeTest {

  private final SplittableRandom random = new SplittableRandom(5);
  private final double[] scratch = new double[RecentShape.SIZE];

  /** Feeds 40 values into slot 1 of a fresh shape; returns its drift slope after them. */
  private double slopeOf(IntToDoubleFunction series) {
    RecentShape shape = new RecentShape(2);
    int n = 40;
    for (int i = 1; i <= n; i++) {
      shape.add(1, i, series.applyAsDouble(i));
    }
    return shape.driftSlope(1, n, scratch);
  }

  @Test
  void a_ramp_is_a_drift_and_its_slope_is_measured() {
    double slope = slopeOf(i -> 50 + (i > 28 ? 2.0 * (i - 28) : 0) + 0.5 * random.nextGaussian());
    assertThat(slope).isCloseTo(2.0, within(0.3));
    assertThat(slopeOf(i -> 500 - 3.0 * i + random.nextGaussian())).isCloseTo(-3.0, within(0.3));
  }

  @Test
  void a_step_and_noise_are_no_drift() {
    for (int age = 1; age <= 14; age++) {
      int start = 40 - age;
      assertThat(slopeOf(i -> (i > start ? 60 : 50) + random.nextGaussian()))
          .as("a step %d points old", age)
          .isNaN();
    }
    for (int trial = 0; trial < 20; trial++) {
      assertThat(slopeOf(i -> 50 + random.nextGaussian())).isNaN();
    }
  }

  @Test
  void too_few_values_tell_nothing() {
    RecentShape shape = new RecentShape(1);
    for (int i = 1; i < RecentShape.SIZE; i++) {
      shape.add(0, i, i);
    }
    assertThat(shape.driftSlope(0, RecentShape.SIZE - 1, scratch)).isNaN();
  }
}
