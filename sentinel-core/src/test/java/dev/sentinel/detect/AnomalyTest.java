package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.SeriesKey;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnomalyTest {

  private static Anomaly stored(Set<DetectorKind> detectors, AnomalyKind kind, double slope) {
    return new Anomaly(
        SeriesKey.of("memory_used_bytes", Map.of("service", "api")),
        1_760_000_000_000L,
        1.2e9,
        1.0e9,
        1.1e9,
        4,
        0.8,
        Direction.UP,
        detectors,
        kind,
        slope);
  }

  @Test
  void an_anomaly_stored_before_kinds_were_kept_reads_its_kind_from_its_detectors() {
    assertThat(stored(Set.of(DetectorKind.LEVEL_SHIFT), null, 0).kind())
        .isEqualTo(AnomalyKind.SHIFT);
    assertThat(stored(Set.of(DetectorKind.ZSCORE, DetectorKind.ROBUST), null, 0).kind())
        .isEqualTo(AnomalyKind.POINT);
  }

  @Test
  void only_a_drift_has_a_slope() {
    assertThat(stored(Set.of(), AnomalyKind.DRIFT, 12.5).slopePerMinute()).isEqualTo(12.5);
    assertThatThrownBy(() -> stored(Set.of(), AnomalyKind.POINT, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
