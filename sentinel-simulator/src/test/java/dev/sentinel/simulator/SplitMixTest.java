package dev.sentinel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMixTest {

  @Test
  void draws_exactly_the_numbers_splittable_random_draws_from_the_same_seed() {
    for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
      SplittableRandom reference = new SplittableRandom(seed);
      SplitMix noise = new SplitMix(seed);
      for (int i = 0; i < 10_000; i++) {
        assertThat(noise.nextGaussian())
            .as("seed %d, draw %d", seed, i)
            .isEqualTo(reference.nextGaussian());
        assertThat(noise.nextLong()).isEqualTo(reference.nextLong());
      }
    }
  }

  @Test
  void a_generator_set_to_a_saved_position_carries_on_with_the_same_sequence() {
    SplitMix original = new SplitMix(9);
    for (int i = 0; i < 1_000; i++) {
      original.nextGaussian();
    }
    SplitMix copy = new SplitMix(123);
    copy.state(original.state());

    for (int i = 0; i < 1_000; i++) {
      assertThat(copy.nextGaussian()).isEqualTo(original.nextGaussian());
    }
  }
}
