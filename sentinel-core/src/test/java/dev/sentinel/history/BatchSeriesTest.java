package dev.sentinel.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchSeriesTest {

  @Test
  void every_point_gets_its_series_fingerprint_and_each_series_is_listed_once() {
    SeriesRegistry registry = new SeriesRegistry();
    PointBatch batch = new PointBatch(16);
    // Enough distinct series to make the lookup table grow several times.
    for (int round = 0; round < 3; round++) {
      for (int host = 0; host < 5_000; host++) {
        SeriesKey key = SeriesKey.of("cpu", Map.of("host", "h" + host));
        batch.add(registry.intern(key), round, host);
      }
    }

    BatchSeries series = BatchSeries.of(batch, registry);

    assertThat(series.keys()).hasSize(5_000);
    for (int i = 0; i < batch.size(); i++) {
      SeriesKey key = registry.key(batch.seriesId(i));
      assertThat(series.fingerprint(i)).isEqualTo(SeriesFingerprint.of(key));
    }
    assertThat(series.fingerprintOf(42)).isEqualTo(SeriesFingerprint.of(series.keys().get(42)));
  }

  @Test
  void an_id_the_registry_never_gave_is_refused() {
    PointBatch batch = new PointBatch(1);
    batch.add(7, 0, 1);
    assertThatThrownBy(() -> BatchSeries.of(batch, new SeriesRegistry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown series id 7");
  }

  @Test
  void fingerprints_are_stable_and_ignore_label_order() {
    SeriesKey one = SeriesKey.of("up", Map.of("a", "1", "b", "2"));
    SeriesKey other = SeriesKey.of("up", Map.of("b", "2", "a", "1"));
    assertThat(SeriesFingerprint.of(one)).isEqualTo(SeriesFingerprint.of(other)).isNotNegative();
    // Pinned: stores on disk rely on this value never changing.
    assertThat(SeriesFingerprint.of("up")).isEqualTo(SeriesFingerprint.of(SeriesKey.of("up")));
    assertThat(SeriesFingerprint.of("up")).isEqualTo(UP_FINGERPRINT);
  }

  // The first 63 bits of SHA-256("up"), computed independently.
  private static final long UP_FINGERPRINT = 8_476_487_810_479_131_743L;
}
