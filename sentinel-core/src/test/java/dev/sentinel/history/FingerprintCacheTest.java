package dev.sentinel.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintCacheTest {

  @Test
  void every_id_gets_the_fingerprint_of_its_series_across_array_growth() {
    SeriesRegistry registry = new SeriesRegistry();
    FingerprintCache cache = new FingerprintCache();
    for (int host = 0; host < 3_000; host++) {
      SeriesKey key = SeriesKey.of("cpu", Map.of("host", "h" + host));
      int id = registry.intern(key);
      assertThat(cache.fingerprint(registry, id)).isEqualTo(SeriesFingerprint.of(key));
    }
    // Asked again, after the array grew, every answer still matches.
    for (int host = 0; host < 3_000; host += 7) {
      SeriesKey key = SeriesKey.of("cpu", Map.of("host", "h" + host));
      assertThat(cache.fingerprint(registry, registry.intern(key)))
          .isEqualTo(SeriesFingerprint.of(key));
    }
  }

  @Test
  void another_registry_starts_the_cache_over() {
    SeriesRegistry first = new SeriesRegistry();
    SeriesRegistry second = new SeriesRegistry();
    SeriesKey up = SeriesKey.of("up");
    SeriesKey down = SeriesKey.of("down");
    int idInFirst = first.intern(up);
    int idInSecond = second.intern(down);
    assertThat(idInSecond).isEqualTo(idInFirst); // the same id names other series

    FingerprintCache cache = new FingerprintCache();
    assertThat(cache.fingerprint(first, idInFirst)).isEqualTo(SeriesFingerprint.of(up));
    assertThat(cache.fingerprint(second, idInSecond)).isEqualTo(SeriesFingerprint.of(down));
  }

  @Test
  void a_batch_resolved_through_the_cache_matches_one_resolved_without_it() {
    SeriesRegistry registry = new SeriesRegistry();
    PointBatch batch = new PointBatch(16);
    for (int i = 0; i < 500; i++) {
      batch.add(registry.intern(SeriesKey.of("mem", Map.of("pod", "p" + i % 120))), i, i);
    }
    FingerprintCache cache = new FingerprintCache();
    BatchSeries.of(batch, registry, cache); // fills the cache
    BatchSeries cached = BatchSeries.of(batch, registry, cache);
    BatchSeries fresh = BatchSeries.of(batch, registry);

    assertThat(cached.distinctCount()).isEqualTo(120);
    for (int i = 0; i < batch.size(); i++) {
      assertThat(cached.fingerprint(i)).isEqualTo(fresh.fingerprint(i));
    }
    for (int s = 0; s < cached.distinctCount(); s++) {
      assertThat(cached.key(s)).isEqualTo(fresh.keys().get(s));
      assertThat(cached.fingerprintOf(s)).isEqualTo(SeriesFingerprint.of(cached.key(s)));
    }
  }

  @Test
  void an_unknown_id_is_refused() {
    assertThatThrownBy(() -> new FingerprintCache().fingerprint(new SeriesRegistry(), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown series id 3");
  }
}
