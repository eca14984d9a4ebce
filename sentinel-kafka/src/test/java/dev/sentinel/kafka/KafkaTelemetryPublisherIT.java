package dev.sentinel.kafka;

import static dev.sentinel.kafka.KafkaTestBroker.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The publisher and the consumer together on a real broker ({@code . scripts/kafka.sh}). */
class KafkaTelemetryPublisherIT {

  private static final long T0 = 1_767_225_600_000L;

  @Test
  void published_points_reach_the_consumer_on_the_partition_of_their_series() throws Exception {
    SeriesRegistry registry = new SeriesRegistry();
    try (KafkaTestBroker broker = KafkaTestBroker.open(3);
        KafkaTelemetryPublisher publisher =
            new KafkaTelemetryPublisher(broker.bootstrap, broker.topic, registry, 1000, Map.of())) {
      PointBatch batch = new PointBatch(100);
      for (int i = 0; i < 100; i++) {
        int id = registry.intern(SeriesKey.of("errors", Map.of("pod", "pod-" + (i % 17))));
        batch.add(id, T0 + i, i);
      }
      batch.add(registry.intern(SeriesKey.of("errors", Map.of("pod", "pod-0"))), T0, Double.NaN);
      assertThat(publisher.tryPublish(batch)).isTrue();
      assertThat(publisher.nonFiniteSkipped()).isEqualTo(1);
      assertThat(publisher.partitions()).isEqualTo(3);
      PointBatch tooLarge = new PointBatch(1001);
      for (int i = 0; i < 1001; i++) {
        tooLarge.add(0, T0, 1);
      }
      assertThatThrownBy(() -> publisher.tryPublish(tooLarge))
          .isInstanceOf(BatchTooLargeException.class);

      // A second registry: the consumer side of another instance interns the series itself.
      SeriesRegistry consumerRegistry = new SeriesRegistry();
      RecordingSink sink = new RecordingSink(consumerRegistry);
      try (KafkaTelemetryConsumer consumer =
          new KafkaTelemetryConsumer(
                  broker.config(),
                  new JsonTestDecoder(consumerRegistry),
                  sink,
                  DetectorWarmUp.NONE,
                  consumerRegistry,
                  new SimpleMeterRegistry())
              .start()) {
        await("100 points arrive", () -> sink.points.size() == 100);
        assertThat(broker.deadLetters(0)).isEmpty();
        for (RecordingSink.Taken point : sink.snapshot()) {
          assertThat(point.partition()).isEqualTo(SeriesPartitioner.partition(point.series(), 3));
        }
      }
    }
  }
}
