package dev.sentinel.app;

import dev.sentinel.app.config.BusConfig;
import dev.sentinel.app.config.KafkaBusConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.kafka.DetectorWarmUp;
import dev.sentinel.kafka.KafkaIngestConfig;
import dev.sentinel.kafka.KafkaTelemetryConsumer;
import dev.sentinel.kafka.KafkaTelemetryPublisher;
import dev.sentinel.kafka.KafkaTopics;
import dev.sentinel.kafka.PointSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@code bus.kind: kafka}: this instance joins the telemetry topic's consumer group and hands what
 * it reads to the in-process bus, which runs detection as with HTTP ingest; with {@code
 * publishHttp}, the HTTP edges publish to the topic instead, so every producer meets in one stream.
 */
final class KafkaBus implements AutoCloseable {

  private final KafkaBusConfig config;
  private final KafkaTelemetryConsumer consumer;
  private final KafkaTelemetryPublisher publisher;

  private KafkaBus(
      KafkaBusConfig config, KafkaTelemetryConsumer consumer, KafkaTelemetryPublisher publisher) {
    this.config = config;
    this.consumer = consumer;
    this.publisher = publisher;
  }

  /** Checks (or creates) the topics, then starts consuming into {@code bus}. */
  static KafkaBus start(
      BusConfig busConfig,
      TelemetryBus bus,
      DetectionPipeline detection,
      TelemetryHistory history,
      SeriesRegistry registry,
      Clock clock,
      PipelineMetrics pipelineMetrics,
      boolean cumulativeAsRate,
      MeterRegistry meters) {
    KafkaBusConfig config = busConfig.kafka();
    Map<String, String> properties = config.properties();
    KafkaTopics.ensure(
        config.bootstrap(),
        properties,
        List.of(config.topic(), config.deadLetterTopic()),
        config.topicPartitions());
    DetectorWarmUp warmUp =
        history.store().isPresent() && config.warmUpMinutes() > 0
            ? new StoreWarmUp(
                history.store().get(),
                registry,
                detection,
                clock,
                Duration.ofMinutes(config.warmUpMinutes()),
                meters)
            : DetectorWarmUp.NONE;
    KafkaIngestConfig ingest =
        KafkaIngestConfig.of(
                config.bootstrap(), config.topic(), config.groupId(), config.deadLetterTopic())
            // A hand-off must fit the bus while other batches are in flight.
            .withMaxHandOffPoints(Math.min(10_000, busConfig.capacityPoints() / 4))
            .withClientProperties(properties);
    KafkaTelemetryConsumer consumer =
        new KafkaTelemetryConsumer(
            ingest,
            KafkaRecordFormats.decoder(
                config.format(), registry, clock, pipelineMetrics, cumulativeAsRate),
            PointSink.of(bus, history::settled), // durable once detected and in the store
            warmUp,
            registry,
            meters);
    KafkaTelemetryPublisher publisher =
        config.publishHttp()
            ? new KafkaTelemetryPublisher(
                config.bootstrap(),
                config.topic(),
                registry,
                busConfig.capacityPoints(),
                producerProperties(properties))
            : null;
    consumer.start();
    return new KafkaBus(config, consumer, publisher);
  }

  private static Map<String, String> producerProperties(Map<String, String> properties) {
    Map<String, String> producer = new TreeMap<>();
    properties.forEach(
        (key, value) -> {
          if (ProducerConfig.configNames().contains(key)) {
            producer.put(key, value);
          }
        });
    return producer;
  }

  /** Where the HTTP edges publish: the topic with {@code publishHttp}, else {@code inProcess}. */
  TelemetryBus edge(TelemetryBus inProcess) {
    return publisher != null ? publisher : inProcess;
  }

  Health health() {
    Map<String, Object> details =
        Map.of(
            "topic", config.topic(),
            "format", config.format(),
            "groupId", config.groupId(),
            "publishHttp", config.publishHttp());
    if (consumer.isRunning()) {
      return Health.up(details);
    }
    String reason =
        consumer.failure().map(e -> "the consumer stopped: " + e).orElse("the consumer stopped");
    return new Health(Health.Status.DOWN, reason, details);
  }

  @Override
  public void close() {
    consumer.close();
    if (publisher != null) {
      publisher.close();
    }
  }
}
