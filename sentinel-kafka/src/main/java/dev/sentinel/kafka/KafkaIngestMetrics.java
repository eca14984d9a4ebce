package dev.sentinel.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The consumer's meters, all tagged with the topic (and the lag gauge with the partition). */
final class KafkaIngestMetrics {

  final Counter records;
  final Counter points;
  final Counter deadLettered;
  final Counter pauses;
  final Counter warmUpFailures;
  private final MeterRegistry meters;
  private final String topic;

  KafkaIngestMetrics(MeterRegistry meters, String topic) {
    this.meters = meters;
    this.topic = topic;
    records =
        Counter.builder("sentinel.kafka.records.consumed")
            .description("Kafka records read and processed (handed on or dead-lettered)")
            .tag("topic", topic)
            .register(meters);
    points =
        Counter.builder("sentinel.kafka.points.consumed")
            .description("Points decoded from Kafka and handed on to detection")
            .tag("topic", topic)
            .register(meters);
    deadLettered =
        Counter.builder("sentinel.kafka.records.deadlettered")
            .description("Kafka records sent to the dead-letter topic as undecodable or invalid")
            .tag("topic", topic)
            .register(meters);
    pauses =
        Counter.builder("sentinel.kafka.pauses")
            .description("Times a partition was paused because detection had no room")
            .tag("topic", topic)
            .register(meters);
    warmUpFailures =
        Counter.builder("sentinel.kafka.warmup.failures")
            .description("Newly assigned partitions whose detectors could not be warmed")
            .tag("topic", topic)
            .register(meters);
  }

  /** Records not yet handed on in a partition, from the last end offset the broker reported. */
  Gauge lag(int partition, AtomicLong lag) {
    return Gauge.builder("sentinel.kafka.consumer.lag", lag, AtomicLong::get)
        .description("Records in the partition not yet handed on to detection")
        .tags("topic", topic, "partition", Integer.toString(partition))
        .strongReference(true)
        .register(meters);
  }

  void remove(Gauge gauge) {
    meters.remove(gauge);
  }
}
