package dev.sentinel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeriesRegistryTest {

  @Test
  void a_key_comes_back_equal_to_what_was_registered() {
    SeriesRegistry registry = new SeriesRegistry();
    SeriesKey key =
        SeriesKey.of(
            "http_requests_total", Map.of("service", "api", "code", "500", "path", "/v1/items"));
    int id = registry.intern(key);
    assertThat(registry.key(id)).isEqualTo(key);
    assertThat(registry.text(id)).isEqualTo(key.text());
    assertThat(registry.key(registry.intern(SeriesKey.of("up")))).isEqualTo(SeriesKey.of("up"));
  }

  @Test
  void escaped_and_non_latin1_values_round_trip_and_are_found_from_characters() {
    SeriesRegistry registry = new SeriesRegistry();
    SeriesKey escaped = SeriesKey.of("m", Map.of("path", "a\"b\\c", "msg", "line\nnext,x=\"y\"}"));
    SeriesKey accented = SeriesKey.of("temperature", Map.of("city", "Zürich"));
    SeriesKey wide = SeriesKey.of("latency_ms", Map.of("region", "東京", "emoji", "\uD83D\uDE80"));
    for (SeriesKey key : List.of(escaped, accented, wide)) {
      int id = registry.intern(key);
      assertThat(registry.key(id)).isEqualTo(key);
      char[] text = key.text().toCharArray();
      assertThat(registry.find(text, text.length, SeriesRegistry.hash(text, text.length)))
          .isEqualTo(id);
      assertThat(registry.find(key.text())).isEqualTo(id);
    }
  }

  @Test
  void a_text_that_differs_only_beyond_latin1_is_another_series() {
    SeriesRegistry registry = new SeriesRegistry();
    // U+0141 and U+0041 share their low byte: one-byte storage must not confuse them.
    int wide = registry.intern(SeriesKey.of("m", Map.of("v", "\u0141")));
    int narrow = registry.intern(SeriesKey.of("m", Map.of("v", "\u0041")));
    assertThat(narrow).isNotEqualTo(wide);
    assertThat(registry.key(narrow).label("v")).isEqualTo("A");
    assertThat(registry.key(wide).label("v")).isEqualTo("\u0141");
    assertThat(registry.find("m{v=\"A\"}")).isEqualTo(narrow);
    assertThat(registry.find("m{v=\"\u0141\"}")).isEqualTo(wide);
  }

  @Test
  void keys_whose_text_is_ambiguous_are_returned_exactly() {
    SeriesRegistry registry = new SeriesRegistry();
    SeriesKey braceInName = SeriesKey.of("odd{name", Map.of("a", "1"));
    SeriesKey emptyBraces = SeriesKey.of("odd{}");
    SeriesKey quoteInLabel = SeriesKey.of("m", Map.of("we\"ird", "1", "b=c", "2"));
    for (SeriesKey key : List.of(braceInName, emptyBraces, quoteInLabel)) {
      assertThat(registry.key(registry.intern(key))).isEqualTo(key);
    }
  }

  @Test
  void many_series_keep_dense_ids_and_their_keys_across_growth() {
    SeriesRegistry registry = new SeriesRegistry();
    int count = 50_000;
    for (int i = 0; i < count; i++) {
      String value = i % 7 == 0 ? "pod-ü-" + i : i % 11 == 0 ? "pod-ł-" + i : "pod-" + i;
      assertThat(registry.intern(SeriesKey.of("cpu", Map.of("pod", value)))).isEqualTo(i);
    }
    assertThat(registry.size()).isEqualTo(count);
    for (int i = 0; i < count; i += 997) {
      String value = i % 7 == 0 ? "pod-ü-" + i : i % 11 == 0 ? "pod-ł-" + i : "pod-" + i;
      SeriesKey key = SeriesKey.of("cpu", Map.of("pod", value));
      assertThat(registry.key(i)).isEqualTo(key);
      assertThat(registry.intern(key)).isEqualTo(i);
    }
  }

  @Test
  void unknown_ids_are_refused() {
    SeriesRegistry registry = new SeriesRegistry();
    registry.intern(SeriesKey.of("cpu"));
    assertThatThrownBy(() -> registry.key(1)).hasMessageContaining("unknown series id 1");
    assertThatThrownBy(() -> registry.text(-1)).hasMessageContaining("unknown series id -1");
    assertThatThrownBy(() -> registry.key(1 << 20)).hasMessageContaining("unknown series id");
  }

  @Test
  void concurrent_registrations_agree_on_one_id_per_series() throws Exception {
    SeriesRegistry registry = new SeriesRegistry();
    int threads = 4;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Map<Integer, String> textById = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  // Every thread registers the same series, so most calls race another's.
                  for (int i = 0; i < perThread; i++) {
                    SeriesKey key = SeriesKey.of("q", Map.of("n", Integer.toString(i)));
                    char[] text = key.text().toCharArray();
                    int found =
                        registry.find(text, text.length, SeriesRegistry.hash(text, text.length));
                    int id = found >= 0 ? found : registry.intern(key);
                    String previous = textById.putIfAbsent(id, key.text());
                    assertThat(previous == null || previous.equals(key.text())).isTrue();
                    assertThat(registry.key(id)).isEqualTo(key);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.size()).isEqualTo(perThread);
    assertThat(textById).hasSize(perThread);
  }
}
