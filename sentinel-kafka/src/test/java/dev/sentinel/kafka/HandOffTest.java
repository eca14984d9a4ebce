package dev.sentinel.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class HandOffTest {

  private final SeriesRegistry registry = new SeriesRegistry();
  private final MockProducer<byte[], byte[]> dlq =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final KafkaIngestMetrics metrics =
      new KafkaIngestMetrics(new SimpleMeterRegistry(), "telemetry");
  private final List<PointBatch> taken = new ArrayList<>();
  private int refusals;
  private int capacity = Integer.MAX_VALUE;

  private final PointSink sink =
      (partition, batch) -> {
        if (batch.size() > capacity) {
          throw new BatchTooLargeException(batch.size(), capacity);
        }
        if (refusals > 0) {
          refusals--;
          return false;
        }
        taken.add(batch);
        return true;
      };

  private HandOff handOff(int maxPoints) {
    HandOff handOff =
        new HandOff(
            new JsonTestDecoder(registry),
            sink,
            new DeadLetters(dlq, "telemetry-dlq", "group"),
            metrics,
            registry,
            maxPoints);
    handOff.partitionCount(1);
    return handOff;
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String json) {
    return new ConsumerRecord<>(
        "telemetry", 0, offset, null, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String points(int count) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"cpu\",\"timestamp\":")
          .append(1_700_000_000_000L + i)
          .append(",\"value\":")
          .append(i)
          .append('}');
    }
    return json.append(']').toString();
  }

  @Test
  void small_records_reach_the_sink_in_chunks_and_the_commit_position_follows() {
    PartitionState state = new PartitionState(0);
    for (int i = 0; i < 10; i++) {
      state.backlog.add(record(i, points(1)));
    }
    assertThat(handOff(4).drain(state)).isTrue();
    assertThat(taken).extracting(PointBatch::size).containsExactly(4, 4, 2);
    assertThat(state.handed).isEqualTo(10);
    assertThat(state.idle()).isTrue();
  }

  @Test
  void a_refused_chunk_stays_pending_and_the_commit_position_does_not_move() {
    PartitionState state = new PartitionState(0);
    state.handed = 0;
    state.backlog.add(record(0, points(3)));
    state.backlog.add(record(1, points(3)));
    refusals = 2;
    HandOff handOff = handOff(100);

    assertThat(handOff.drain(state)).isFalse();
    assertThat(handOff.drain(state)).isFalse();
    assertThat(state.handed).isZero();
    assertThat(taken).isEmpty();

    assertThat(handOff.drain(state)).isTrue();
    assertThat(state.handed).isEqualTo(2);
    assertThat(taken).singleElement().extracting(PointBatch::size).isEqualTo(6);
    assertThat(metrics.points.count()).isEqualTo(6);
  }

  @Test
  void a_chunk_larger_than_the_sink_can_ever_hold_is_split_in_order() {
    PartitionState state = new PartitionState(0);
    state.backlog.add(record(7, points(10)));
    capacity = 3;
    assertThat(handOff(100).drain(state)).isTrue();
    assertThat(taken).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(3));
    List<Double> values = new ArrayList<>();
    taken.forEach(
        batch -> {
          for (int i = 0; i < batch.size(); i++) {
            values.add(batch.value(i));
          }
        });
    assertThat(values).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
    assertThat(state.handed).isEqualTo(8);
  }

  @Test
  void a_poison_record_is_dead_lettered_with_its_reason_and_the_next_one_is_handed_on() {
    PartitionState state = new PartitionState(0);
    state.backlog.add(record(0, "{\"points\": [{\"name\": \"cpu\", \"value\": \"high\"}]}"));
    state.backlog.add(record(1, points(2)));
    assertThat(handOff(100).drain(state)).isTrue();

    assertThat(taken).singleElement().extracting(PointBatch::size).isEqualTo(2);
    assertThat(state.handed).isEqualTo(2);
    ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
    assertThat(letter.topic()).isEqualTo("telemetry-dlq");
    assertThat(header(letter, DeadLetters.REASON))
        .isEqualTo("points[0].value: value must be a finite number");
    assertThat(header(letter, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(metrics.deadLettered.count()).isEqualTo(1);
  }

  @Test
  void a_record_with_a_series_of_another_partition_is_dead_lettered() {
    HandOff handOff = handOff(100);
    handOff.partitionCount(8);
    SeriesKey series = SeriesKey.of("cpu", Map.of("host", "a"));
    int owner = SeriesPartitioner.partition(series.text(), 8);
    int other = (owner + 1) % 8;
    PartitionState state = new PartitionState(other);
    state.backlog.add(
        new ConsumerRecord<>(
            "telemetry",
            other,
            0,
            null,
            "[{\"name\":\"cpu\",\"labels\":{\"host\":\"a\"},\"value\":1}]"
                .getBytes(StandardCharsets.UTF_8)));

    assertThat(handOff.drain(state)).isTrue();
    assertThat(taken).isEmpty();
    assertThat(header(dlq.history().getFirst(), DeadLetters.REASON))
        .contains("cpu{host=\"a\"} belongs to partition " + owner + " of 8")
        .contains("came on partition " + other);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
