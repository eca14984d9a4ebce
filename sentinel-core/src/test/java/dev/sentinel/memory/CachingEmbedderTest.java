package dev.sentinel.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

  @Test
  void the_same_text_is_embedded_once() {
    WordEmbedder model = new WordEmbedder();
    CachingEmbedder cache = new CachingEmbedder(model, 100);

    float[] first = cache.embed("checkout latency up");
    float[] second = cache.embed("checkout latency up");
    cache.embed("db cpu up");

    assertThat(second).containsExactly(first);
    assertThat(model.calls()).isEqualTo(2);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(2);
  }

  @Test
  void a_caller_cannot_change_the_cached_vector() {
    CachingEmbedder cache = new CachingEmbedder(new WordEmbedder(), 10);
    float[] vector = cache.embed("api errors");
    float kept = vector[0];
    vector[0] = 99;
    assertThat(cache.embed("api errors")[0]).isEqualTo(kept);
  }

  @Test
  void the_least_recently_used_text_is_evicted_beyond_capacity() {
    WordEmbedder model = new WordEmbedder();
    CachingEmbedder cache = new CachingEmbedder(model, 2);
    cache.embed("a");
    cache.embed("b");
    cache.embed("a");
    cache.embed("c"); // evicts b, used least recently
    cache.embed("a");
    assertThat(model.calls()).isEqualTo(3);
    cache.embed("b");
    assertThat(model.calls()).isEqualTo(4);
  }

  @Test
  void concurrent_callers_of_one_text_share_one_embedding() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Embedder slow =
        new Embedder() {
          @Override
          public float[] embed(String text) {
            calls.incrementAndGet();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new float[] {1, 2};
          }

          @Override
          public int dimensions() {
            return 2;
          }

          @Override
          public String model() {
            return "slow";
          }
        };
    CachingEmbedder cache = new CachingEmbedder(slow, 10);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(threads.submit(() -> cache.embed("same text")));
      }
      release.countDown();
      for (Future<float[]> result : results) {
        assertThat(result.get()).containsExactly(1, 2);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void a_failure_is_not_cached() {
    AtomicInteger calls = new AtomicInteger();
    Embedder flaky =
        new Embedder() {
          @Override
          public float[] embed(String text) {
            if (calls.incrementAndGet() == 1) {
              throw new EmbeddingException("model not ready");
            }
            return new float[] {1};
          }

          @Override
          public int dimensions() {
            return 1;
          }

          @Override
          public String model() {
            return "flaky";
          }
        };
    CachingEmbedder cache = new CachingEmbedder(flaky, 10);
    assertThatThrownBy(() -> cache.embed("x")).isInstanceOf(EmbeddingException.class);
    assertThat(cache.embed("x")).containsExactly(1);
    assertThat(calls.get()).isEqualTo(2);
  }
}
