package dev.sentinel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(5, 1_000, 8_000);

  @Test
  void the_delay_doubles_per_attempt_with_jitter_in_its_upper_half() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      assertThat(policy.delayAfter(1, random)).isBetween(500L, 1_000L);
      assertThat(policy.delayAfter(2, random)).isBetween(1_000L, 2_000L);
      assertThat(policy.delayAfter(3, random)).isBetween(2_000L, 4_000L);
    }
  }

  @Test
  void the_delay_never_exceeds_the_maximum_however_many_attempts() {
    SplittableRandom random = new SplittableRandom(7);
    for (int attempt = 4; attempt < 200; attempt++) {
      assertThat(policy.delayAfter(attempt, random)).isBetween(4_000L, 8_000L);
    }
  }

  @Test
  void jitter_spreads_deliveries_that_fail_together() {
    SplittableRandom random = new SplittableRandom(7);
    long distinct =
        java.util.stream.IntStream.range(0, 100)
            .mapToLong(i -> policy.delayAfter(3, random))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(50);
  }

  @Test
  void attempts_are_bounded() {
    assertThat(policy.exhausted(4)).isFalse();
    assertThat(policy.exhausted(5)).isTrue();
  }

  @Test
  void nonsense_bounds_are_refused_with_the_reason() {
    assertThatThrownBy(() -> new RetryPolicy(0, 1, 1)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(3, 10, 5)).hasMessageContaining("maxDelayMillis");
  }
}
