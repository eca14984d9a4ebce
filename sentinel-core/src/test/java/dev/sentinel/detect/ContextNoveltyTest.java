package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContextNoveltyTest {

  /** A square wave: five points low, five points high. */
  private static double wave(int i) {
    return (i / 5) % 2 == 0 ? 10 : 20;
  }

  @Test
  void a_learnt_rhythm_is_no_news_and_a_break_in_it_is_news_though_every_value_is_familiar() {
    ContextNovelty contexts = new ContextNovelty(4);
    contexts.start(0, wave(0));
    int i = 1;
    for (; i < 500; i++) {
      contexts.update(0, wave(i), i + 1);
    }
    double usual = 0;
    for (int end = i + 50; i < end; i++) {
      usual = Math.max(usual, contexts.update(0, wave(i), i + 1));
    }
    assertThat(usual).isZero();

    // The wave stops mid-cycle and stays high: 20 was seen, but never after five 20s in a row.
    while (wave(i) != 20 || wave(i + 1) != 20 || wave(i - 1) != 10) {
      contexts.update(0, wave(i), i + 1);
      i++;
    }
    double stuck = 0;
    for (int end = i + 10; i < end; i++) {
      stuck = Math.max(stuck, contexts.update(0, 20, i + 1));
    }
    assertThat(stuck).isGreaterThan(0.1);
  }

  @Test
  void noise_is_no_context_however_rare_its_sequences() {
    ContextNovelty contexts = new ContextNovelty(4);
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    contexts.start(0, random.nextGaussian());
    double news = 0;
    for (int i = 1; i < 20_000; i++) {
      double novelty = contexts.update(0, random.nextGaussian(), i + 1);
      if (i > 2_000) {
        news = Math.max(news, novelty);
      }
    }
    assertThat(news).isZero();
  }

  @Test
  void slots_learn_apart() {
    ContextNovelty contexts = new ContextNovelty(1);
    contexts.grow(2);
    contexts.start(0, 0);
    contexts.start(1, 0);
    for (int i = 1; i < 200; i++) {
      contexts.update(0, wave(i), i + 1);
    }
    double first = 0;
    for (int i = 1; i < 20; i++) {
      first = Math.max(first, contexts.update(1, wave(i), i + 1));
    }
    assertThat(first).isPositive();
  }
}
