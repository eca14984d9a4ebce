package dev.sentinel.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every replay guard does; each adapter's test extends this. */
public abstract class ReplayGuardContract {

  /** An empty guard; called again, another view of the same store (another instance). */
  protected abstract ReplayGuard guard();

  @Test
  void a_key_is_new_once_even_for_another_instance() {
    assertThat(guard().firstSeen("v0=abc", 1_000, 0)).isTrue();
    assertThat(guard().firstSeen("v0=abc", 2_000, 0)).isFalse();
    assertThat(guard().firstSeen("v0=def", 2_000, 0)).isTrue();
  }

  @Test
  void expired_keys_are_forgotten() {
    ReplayGuard guard = guard();
    guard.firstSeen("v0=abc", 1_000, 0);
    assertThat(guard.firstSeen("v0=abc", 400_000, 100_000)).isTrue();
  }

  @Test
  void of_concurrent_calls_with_one_key_exactly_one_wins() throws Exception {
    ReplayGuard guard = guard();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> guard.firstSeen("v0=same", 5_000, 0));
      }
      long winners = 0;
      for (Future<Boolean> result : pool.invokeAll(calls)) {
        winners += result.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
