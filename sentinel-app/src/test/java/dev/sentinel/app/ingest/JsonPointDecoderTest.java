package dev.sentinel.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JsonPointDecoderTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private final SeriesRegistry registry = new SeriesRegistry();
  private final JsonPointDecoder decoder =
      new JsonPointDecoder(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  private PointBatch decode(String json) throws IOException {
    return decoder.decode(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private InvalidPointsException refuse(String json) {
    return catchThrowableOfType(InvalidPointsException.class, () -> decode(json));
  }

  @Test
  void decodes_an_envelope_with_millis_and_rfc3339_timestamps() throws IOException {
    PointBatch batch =
        decode(
            """
            {"points": [
              {"name": "cpu", "labels": {"host": "a", "dc": "x"}, "timestamp": 1795867200000, "value": 0.5},
              {"name": "cpu", "labels": {"dc": "x", "host": "a"}, "timestamp": "2026-11-28T12:00:01Z", "value": 2}
            ]}""");
    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.seriesId(0)).as("label order does not matter").isEqualTo(batch.seriesId(1));
    assertThat(registry.key(batch.seriesId(0)).text()).isEqualTo("cpu{dc=\"x\",host=\"a\"}");
    assertThat(batch.timestamp(0)).isEqualTo(1_795_867_200_000L);
    assertThat(batch.timestamp(1)).isEqualTo(1_795_867_201_000L);
    assertThat(batch.value(1)).isEqualTo(2.0);
  }

  @Test
  void a_bare_array_is_accepted_and_a_missing_timestamp_means_now() throws IOException {
    PointBatch batch = decode("[{\"name\": \"up\", \"value\": 1}]");
    assertThat(batch.size()).isEqualTo(1);
    assertThat(batch.timestamp(0)).isEqualTo(NOW.toEpochMilli());
  }

  @Test
  void every_bad_field_is_named_and_nothing_is_accepted() {
    InvalidPointsException refused =
        refuse(
            """
            {"points": [
              {"name": "ok", "value": 1},
              {"name": "9bad", "value": 1},
              {"name": "x", "value": "high"},
              {"name": "x", "labels": {"a": 3}, "value": 1},
              {"name": "x"},
              {"value": 1}
            ]}""");
    assertThat(refused.errorCount()).isEqualTo(5);
    assertThat(refused.errors())
        .extracting(PointError::field)
        .containsExactly(
            "points[1].name",
            "points[2].value",
            "points[3].labels.a",
            "points[4].value",
            "points[5].name");
    assertThat(refused.errors().get(1).message()).isEqualTo("value must be a finite number");
    assertThat(refused.errors().get(2).index()).isEqualTo(3);
  }

  @Test
  void seconds_sent_as_millis_get_a_hint() {
    InvalidPointsException refused =
        refuse("[{\"name\": \"x\", \"timestamp\": 1795867200, \"value\": 1}]");
    assertThat(refused.errors().getFirst().message())
        .contains("before 2000-01-01")
        .contains("looks like seconds");
  }

  @Test
  void timestamps_far_in_the_future_and_unparseable_ones_are_refused() {
    assertThat(
            refuse("[{\"name\": \"x\", \"timestamp\": \"2030-01-01T00:00:00Z\", \"value\": 1}]")
                .errors()
                .getFirst()
                .message())
        .contains("more than a day in the future");
    assertThat(
            refuse("[{\"name\": \"x\", \"timestamp\": \"yesterday\", \"value\": 1}]")
                .errors()
                .getFirst()
                .message())
        .contains("is not RFC 3339");
  }

  @Test
  void malformed_json_reports_line_and_column() {
    InvalidPointsException refused = refuse("{\"points\": [\n {\"name\": \"x\", \"value\": }]}");
    assertThat(refused.errors().getFirst().message()).contains("malformed JSON at line 2");
  }

  @Test
  void an_empty_batch_or_a_wrong_shape_is_refused() {
    assertThat(refuse("{\"points\": []}").errors().getFirst().message()).contains("no points");
    assertThat(refuse("{\"data\": []}").errors().getFirst().message()).contains("no 'points'");
    assertThat(refuse("42").errors().getFirst().message()).contains("must be a JSON object");
  }

  @Test
  void keys_built_while_parsing_match_the_canonical_text_even_with_escapes() throws IOException {
    PointBatch batch =
        decode(
            "[{\"name\": \"m\", \"labels\": {\"z\": \"a\\\"b\", \"a\": \"c\\\\d\\ne\"}, \"value\": 1},"
                + " {\"name\": \"m\", \"labels\": {\"a\": \"c\\\\d\\ne\", \"z\": \"a\\\"b\"}, \"value\": 2}]");
    assertThat(batch.seriesId(0)).isEqualTo(batch.seriesId(1));
    var key = registry.key(batch.seriesId(0));
    assertThat(key.labels()).containsEntry("z", "a\"b").containsEntry("a", "c\\d\ne");
    assertThat(registry.find(key.text())).isEqualTo(batch.seriesId(0));
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void duplicate_labels_are_refused() {
    InvalidPointsException refused =
        refuse("[{\"name\": \"x\", \"labels\": {\"a\": \"1\", \"a\": \"2\"}, \"value\": 1}]");
    assertThat(refused.errors().getFirst().message()).contains("given twice");
  }

  @Test
  void only_the_first_fifty_errors_are_listed_but_all_are_counted() {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < 80; i++) {
      json.append(i == 0 ? "" : ",").append("{\"name\": \"x\"}");
    }
    InvalidPointsException refused = refuse(json.append("]").toString());
    assertThat(refused.errorCount()).isEqualTo(80);
    assertThat(refused.errors()).hasSize(50);
  }
}
