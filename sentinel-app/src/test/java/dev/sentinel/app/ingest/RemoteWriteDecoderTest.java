package dev.sentinel.app.ingest;

import static dev.sentinel.app.ingest.RemoteWriteBody.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RemoteWriteDecoderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final long T = NOW.toEpochMilli() - 10_000;
  private final SeriesRegistry registry = new SeriesRegistry();
  private final RemoteWriteDecoder decoder =
      new RemoteWriteDecoder(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  private RemoteWriteDecoder.Decoded decode(RemoteWriteBody body) {
    byte[] bytes = body.protobuf();
    return decoder.decode(bytes, bytes.length);
  }

  @Test
  void name_becomes_the_metric_and_other_labels_are_kept() {
    RemoteWriteDecoder.Decoded decoded =
        decode(
            new RemoteWriteBody()
                .series(
                    labels("__name__", "up", "instance", "127.0.0.1:9090", "job", "prometheus"),
                    T,
                    1,
                    T + 2000,
                    1)
                .series(
                    labels("__name__", "process_cpu_seconds_total", "job", "prometheus"), T, 12.5));
    PointBatch points = decoded.points();
    assertThat(decoded.series()).isEqualTo(2);
    assertThat(points.size()).isEqualTo(3);
    assertThat(registry.key(points.seriesId(0)).text())
        .isEqualTo("up{instance=\"127.0.0.1:9090\",job=\"prometheus\"}");
    assertThat(points.timestamp(1)).isEqualTo(T + 2000);
    assertThat(registry.key(points.seriesId(2)).name()).isEqualTo("process_cpu_seconds_total");
    assertThat(points.value(2)).isEqualTo(12.5);
  }

  @Test
  void labels_in_any_order_and_utf8_values_give_the_same_series() {
    PointBatch sorted =
        decode(
                new RemoteWriteBody()
                    .series(labels("__name__", "m", "a", "ünïcode ✓", "b", "2"), T, 1))
            .points();
    PointBatch unsorted =
        decode(
                new RemoteWriteBody()
                    .series(labels("b", "2", "a", "ünïcode ✓", "__name__", "m"), T, 1))
            .points();
    assertThat(unsorted.seriesId(0)).isEqualTo(sorted.seriesId(0));
    assertThat(registry.key(sorted.seriesId(0)).label("a")).isEqualTo("ünïcode ✓");
  }

  @Test
  void staleness_markers_and_other_nans_are_skipped_and_counted() {
    double stale = Double.longBitsToDouble(RemoteWriteDecoder.STALE_NAN_BITS);
    RemoteWriteDecoder.Decoded decoded =
        decode(
            new RemoteWriteBody()
                .series(labels("__name__", "up", "job", "gone"), T, 1, T + 1000, stale)
                .series(
                    labels("__name__", "ratio"),
                    T,
                    Double.NaN,
                    T + 1000,
                    Double.POSITIVE_INFINITY));
    assertThat(decoded.points().size()).isEqualTo(1);
    assertThat(decoded.staleMarkers()).isEqualTo(1);
    assertThat(decoded.nonFinite()).isEqualTo(2);
  }

  @Test
  void a_series_without_a_name_or_with_a_bad_label_refuses_the_request_naming_it() {
    RemoteWriteBody body =
        new RemoteWriteBody()
            .series(labels("__name__", "fine"), T, 1)
            .series(labels("job", "x"), T, 1)
            .series(labels("__name__", "2bad"), T, 1)
            .series(labels("__name__", "ok", "bad-label", "v"), T, 1)
            .series(labels("__name__", "old"), 1_700_000_000L, 1);
    assertThatThrownBy(() -> decode(body))
        .isInstanceOfSatisfying(
            InvalidPointsException.class,
            e -> {
              assertThat(e.errorCount()).isEqualTo(4);
              assertThat(e.errors())
                  .extracting(PointError::field)
                  .containsExactly(
                      "timeseries[1].labels",
                      "timeseries[2].labels.__name__",
                      "timeseries[3].labels[1]",
                      "timeseries[4].samples[0].timestamp");
              assertThat(e.errors().get(0).message()).contains("no __name__");
              assertThat(e.errors().get(2).message()).contains("'bad-label'");
              assertThat(e.errors().get(3).message()).contains("looks like seconds");
            });
  }

  @Test
  void bytes_that_are_not_a_write_request_are_refused() {
    byte[] garbage = {0x0a, 0x7f, 0x01, 0x02};
    assertThatThrownBy(() -> decoder.decode(garbage, garbage.length))
        .isInstanceOf(InvalidPointsException.class)
        .hasMessageContaining("not a valid remote-write WriteRequest");
  }

  @Test
  void a_request_with_only_metadata_is_empty_not_invalid() {
    byte[] metadataOnly = {0x1a, 0x02, 0x08, 0x01}; // metadata = 3 { type = 1 }
    assertThat(decoder.decode(metadataOnly, metadataOnly.length).points().size()).isZero();
  }
}
