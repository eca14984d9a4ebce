package dev.sentinel.kafka;

import static dev.sentinel.kafka.KafkaTestBroker.await;
import static dev.sentinel.kafka.KafkaTestBroker.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer against a real broker ({@code . scripts/kafka.sh}); skipped without one. Every test
 * has its own topic, dead-letter topic and group.
 */
class KafkaTelemetryConsumerIT {

  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private final SeriesRegistry registry = new SeriesRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  private KafkaTestBroker broker(int partitions) throws Exception {
    KafkaTestBroker broker = KafkaTestBroker.open(partitions);
    closeAfter.add(broker);
    return broker;
  }

  private KafkaTelemetryConsumer start(
      KafkaIngestConfig config, PointSink sink, DetectorWarmUp warmUp) {
    KafkaTelemetryConsumer consumer =
        new KafkaTelemetryConsumer(
            config, new JsonTestDecoder(registry), sink, warmUp, registry, meters);
    closeAfter.add(consumer);
    return consumer.start();
  }

  /** One partition holding five records (offsets 0..4), one series of four points each. */
  private KafkaTestBroker fiveRecordsOfFourPoints() throws Exception {
    KafkaTestBroker broker = broker(1);
    for (SeriesKey key : series(5)) {
      broker.sendSeries(key, 4, T0);
    }
    return broker;
  }

  private static List<SeriesKey> series(int count) {
    List<SeriesKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(SeriesKey.of("latency_ms", Map.of("service", "svc-" + i)));
    }
    return keys;
  }

  @Test
  void points_arrive_and_are_handed_on_by_the_partition_that_owns_their_series() throws Exception {
    KafkaTestBroker broker = broker(3);
    RecordingSink sink = new RecordingSink(registry);
    start(broker.config(), sink, DetectorWarmUp.NONE);
    for (SeriesKey key : series(12)) {
      broker.sendSeries(key, 10, T0);
    }

    await("120 points are handed on", () -> sink.points.size() == 120);
    for (RecordingSink.Taken point : sink.snapshot()) {
      assertThat(point.partition()).isEqualTo(SeriesPartitioner.partition(point.series(), 3));
    }
    Map<String, List<Double>> bySeries =
        sink.snapshot().stream()
            .collect(
                Collectors.groupingBy(
                    RecordingSink.Taken::series,
                    Collectors.mapping(RecordingSink.Taken::value, Collectors.toList())));
    assertThat(bySeries).hasSize(12);
    bySeries.values().forEach(values -> assertThat(values).isSorted().hasSize(10));
  }

  @Test
  void offsets_are_committed_only_after_the_points_are_handed_on() throws Exception {
    KafkaTestBroker broker = fiveRecordsOfFourPoints();
    RecordingSink refusing = new RecordingSink(registry);
    refusing.refusalsLeft.set(Integer.MAX_VALUE);
    KafkaTelemetryConsumer first = start(broker.config(), refusing, DetectorWarmUp.NONE);
    await("the first consumer has read and been refused", () -> refusing.refused.get() >= 3);
    first.close();
    assertThat(broker.committed()).isEmpty();

    RecordingSink accepting = new RecordingSink(registry);
    KafkaTelemetryConsumer second = start(broker.config(), accepting, DetectorWarmUp.NONE);
    await("the second consumer sees all 20 points", () -> accepting.points.size() == 20);
    await("offset 5 is committed", () -> committedOffset(broker, 0) == 5);
    second.close();
    assertThat(committedOffset(broker, 0)).isEqualTo(5);
  }

  @Test
  void offsets_are_committed_only_once_the_sink_says_the_points_are_durable() throws Exception {
    KafkaTestBroker broker = fiveRecordsOfFourPoints();
    RecordingSink sink = new RecordingSink(registry);
    CompletableFuture<Void> durable = new CompletableFuture<>();
    sink.durability = durable;
    start(broker.config(), sink, DetectorWarmUp.NONE);
    await("all 20 points are handed on", () -> sink.points.size() == 20);
    // Five commit intervals: handed on, but still only in the sink's memory, so not committed.
    Thread.sleep(1_000);
    assertThat(committedOffset(broker, 0)).isEqualTo(-1);

    durable.complete(null);
    await(
        "offset 5 is committed once the points are durable", () -> committedOffset(broker, 0) == 5);
  }

  @Test
  void a_consumer_whose_sink_fails_commits_nothing_it_did_not_hand_on() throws Exception {
    KafkaTestBroker broker = broker(1);
    for (SeriesKey key : series(3)) {
      broker.sendSeries(key, 2, T0);
    }
    KafkaTelemetryConsumer crashing =
        start(
            broker.config(),
            (partition, batch) -> {
              throw new IllegalStateException("detection crashed");
            },
            DetectorWarmUp.NONE);
    await("the consumer has stopped", () -> !crashing.isRunning());
    assertThat(crashing.failure())
        .get()
        .extracting(Throwable::getMessage)
        .isEqualTo("detection crashed");
    assertThat(broker.committed()).isEmpty();

    RecordingSink again = new RecordingSink(registry);
    start(broker.config(), again, DetectorWarmUp.NONE);
    await("the records are read again", () -> again.points.size() == 6);
  }

  @Test
  void a_poison_record_goes_to_the_dead_letter_topic_and_consumption_goes_on() throws Exception {
    KafkaTestBroker broker = broker(1);
    SeriesKey cpu = SeriesKey.of("cpu", Map.of("host", "a"));
    broker.sendSeries(cpu, 1, T0);
    broker.sendRaw(0, "cpu", "{\"points\": [{\"name\": \"cpu\", \"value\": \"high\"}]}");
    broker.sendRaw(0, "junk", "not json at all");
    broker.sendSeries(cpu, 2, T0 + 10);
    RecordingSink sink = new RecordingSink(registry);
    start(broker.config(), sink, DetectorWarmUp.NONE);

    await("3 good points are handed on", () -> sink.points.size() == 3);
    var letters = broker.deadLetters(2);
    assertThat(letters).hasSize(2);
    assertThat(header(letters.get(0), DeadLetters.REASON))
        .isEqualTo("points[0].value: value must be a finite number");
    assertThat(header(letters.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo(broker.topic);
    assertThat(header(letters.get(0), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(letters.get(0), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
    assertThat(header(letters.get(1), DeadLetters.SOURCE_OFFSET)).isEqualTo("2");
    assertThat(header(letters.get(1), DeadLetters.REASON)).contains("Unrecognized token 'not'");
    assertThat(new String(letters.get(1).value())).isEqualTo("not json at all");
    await("offset 4 is committed", () -> committedOffset(broker, 0) == 4);
    assertThat(meters.counter("sentinel.kafka.records.deadlettered", "topic", broker.topic).count())
        .isEqualTo(2);
  }

  @Test
  void a_refusing_sink_pauses_the_partition_and_nothing_is_lost_or_reordered() throws Exception {
    KafkaTestBroker broker = broker(1);
    SeriesKey key = SeriesKey.of("requests", Map.of("service", "api"));
    RecordingSink sink = new RecordingSink(registry);
    sink.refusalsLeft.set(25);
    start(broker.config().withMaxHandOffPoints(50), sink, DetectorWarmUp.NONE);
    for (int record = 0; record < 20; record++) {
      broker.sendSeries(key, 10, T0 + record * 10L);
    }

    await("200 points are handed on", () -> sink.points.size() == 200);
    assertThat(sink.refused.get()).isEqualTo(25);
    assertThat(sink.snapshot())
        .extracting(RecordingSink.Taken::timestamp)
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(meters.counter("sentinel.kafka.pauses", "topic", broker.topic).count())
        .isGreaterThanOrEqualTo(1);
    await("offset 20 is committed", () -> committedOffset(broker, 0) == 20);
  }

  @Test
  void two_consumers_of_one_group_split_the_partitions_and_each_series_lands_on_one()
      throws Exception {
    KafkaTestBroker broker = broker(4);
    Queue<String> warmedA = new ConcurrentLinkedQueue<>();
    Queue<String> warmedB = new ConcurrentLinkedQueue<>();
    RecordingSink a = new RecordingSink(registry);
    RecordingSink b = new RecordingSink(registry);
    start(broker.config(), a, p -> warmedA.add("p" + p.partition()));
    start(broker.config(), b, p -> warmedB.add("p" + p.partition()));
    await(
        "both members own partitions",
        () -> !warmedA.isEmpty() && !warmedB.isEmpty() && settled(warmedA, warmedB));
    for (SeriesKey key : series(40)) {
      broker.sendSeries(key, 5, T0);
    }

    await("200 points are handed on", () -> a.points.size() + b.points.size() == 200);
    Set<String> seriesOfA = new HashSet<>();
    a.points.forEach(point -> seriesOfA.add(point.series()));
    Set<String> seriesOfB = new HashSet<>();
    b.points.forEach(point -> seriesOfB.add(point.series()));
    assertThat(seriesOfA).isNotEmpty().doesNotContainAnyElementsOf(seriesOfB);
    assertThat(seriesOfB).isNotEmpty();
    assertThat(seriesOfA.size() + seriesOfB.size()).isEqualTo(40);
  }

  /** True once the latest assignments of the two members cover the 4 partitions without overlap. */
  private static boolean settled(Queue<String> a, Queue<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all.size() == 4;
  }

  @Test
  void the_lag_gauge_reads_the_records_not_yet_handed_on() throws Exception {
    KafkaTestBroker broker = broker(1);
    for (int i = 0; i < 20; i++) {
      broker.sendSeries(SeriesKey.of("queue_depth"), 1, T0 + i);
    }
    RecordingSink sink = new RecordingSink(registry);
    sink.refusalsLeft.set(Integer.MAX_VALUE);
    start(broker.config(), sink, DetectorWarmUp.NONE);

    await("the lag gauge reads 20", () -> lag(broker) == 20);
    sink.refusalsLeft.set(0);
    await("the lag gauge reads 0", () -> lag(broker) == 0);
    assertThat(sink.points).hasSize(20);
  }

  @Test
  void warm_up_runs_on_assignment_before_the_first_batch_of_the_partition() throws Exception {
    KafkaTestBroker broker = broker(2);
    for (SeriesKey key : series(10)) {
      broker.sendSeries(key, 3, T0);
    }
    Queue<String> events = new ConcurrentLinkedQueue<>();
    List<OwnedPartition> warmed = new ArrayList<>();
    RecordingSink sink = new RecordingSink(registry, events);
    start(
        broker.config(),
        sink,
        partition -> {
          warmed.add(partition);
          events.add("warm " + partition.partition());
        });

    await("30 points are handed on", () -> sink.points.size() == 30);
    assertThat(warmed)
        .extracting(OwnedPartition::partition, OwnedPartition::partitionCount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(0, 2), org.assertj.core.groups.Tuple.tuple(1, 2));
    List<String> order = List.copyOf(events);
    for (int p = 0; p < 2; p++) {
      int warm = order.indexOf("warm " + p);
      int firstBatch = order.indexOf("batch " + p);
      assertThat(warm).as("warm-up of partition %d", p).isGreaterThanOrEqualTo(0);
      assertThat(firstBatch).as("first batch of partition %d", p).isGreaterThan(warm);
    }
    for (SeriesKey key : series(10)) {
      int owner = SeriesPartitioner.partition(key.text(), 2);
      assertThat(warmed.get(0).partition() == owner ? warmed.get(0) : warmed.get(1))
          .matches(partition -> partition.owns(key));
    }
  }

  private double lag(KafkaTestBroker broker) {
    Gauge gauge =
        meters
            .find("sentinel.kafka.consumer.lag")
            .tags("topic", broker.topic, "partition", "0")
            .gauge();
    return gauge == null ? -1 : gauge.value();
  }

  private static long committedOffset(KafkaTestBroker broker, int partition) {
    try {
      var offset = broker.committed().get(new TopicPartition(broker.topic, partition));
      return offset == null ? -1 : offset.offset();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
