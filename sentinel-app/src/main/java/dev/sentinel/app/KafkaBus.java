package dev.sentinel.app;

import dev.sentinel.app.config.BusConfig;
import dev.sentinel.app.config.KafkaBusConfig;
import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.ingest.OtlpMetricsDecoder;
import dev.sentinel.app.ingest.PointError;
import dev.sentinel.app.ingest.PrometheusAdapterDecoder;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.kafka.DetectorWarmUp;
import dev.sentinel.kafka.KafkaIngestConfig;
import dev.sentinel.kafka.KafkaTelemetryConsumer;
import dev.sentinel.kafka.KafkaTelemetryPublisher;
import dev.sentinel.kafka.KafkaTopics;
import dev.sentinel.kafka.PointSink;
import dev.sentinel.kafka.RecordDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
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
      DetectionEngine[] engines,
      TelemetryHistory history,
      SeriesRegistry registry,
      Clock clock,
      PipelineMetrics pipelineMetrics,
      boolean otlpCumulativeAsRate,
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
                engines,
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
            decoder(config.format(), registry, clock, pipelineMetrics, otlpCumulativeAsRate),
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

  /** How much cumulative state the {@code otlp} format keeps for rates, as the OTLP receiver. */
  private static final int RATE_SERIES = 200_000;

  /**
   * Decodes records in the topic's format, checked by the same code as the HTTP receiver of that
   * format. Every format is all or nothing per record: a record with any invalid point goes to the
   * dead-letter topic whole and registers no series. Non-finite values (and staleness markers) are
   * skipped and counted in the same meters as the HTTP receivers.
   */
  static RecordDecoder decoder(
      String format,
      SeriesRegistry registry,
      Clock clock,
      PipelineMetrics metrics,
      boolean otlpCumulativeAsRate) {
    return switch (format) {
      case KafkaBusConfig.PROMETHEUS -> {
        PrometheusAdapterDecoder prometheus = new PrometheusAdapterDecoder(registry, clock);
        yield value -> {
          try {
            PrometheusAdapterDecoder.Decoded decoded = prometheus.decode(value);
            metrics.pointsSkippedNonFinite.increment(decoded.nonFinite());
            return decoded.points();
          } catch (InvalidPointsException e) {
            throw new IllegalArgumentException(reason(e), e);
          }
        };
      }
      case KafkaBusConfig.OTLP -> {
        OtlpMetricsDecoder otlp =
            new OtlpMetricsDecoder(registry, clock, otlpCumulativeAsRate, RATE_SERIES);
        yield value -> {
          OtlpMetricsDecoder.Decoded decoded;
          try {
            decoded = otlp.decode(OtlpMetricsDecoder.parseProtobuf(value));
          } catch (InvalidPointsException e) {
            throw new IllegalArgumentException(reason(e), e);
          }
          if (decoded.rejected() > 0) {
            throw new IllegalArgumentException(decoded.rejectionMessage());
          }
          metrics.pointsSkippedNonFinite.increment(decoded.skipped());
          return decoded.points();
        };
      }
      default -> {
        JsonPointDecoder json = new JsonPointDecoder(registry, clock);
        yield value -> {
          try {
            return json.decode(new ByteArrayInputStream(value));
          } catch (InvalidPointsException e) {
            throw new IllegalArgumentException(reason(e), e);
          }
        };
      }
    };
  }

  /** What a dead letter's reason header says: the decoder's errors, as the HTTP API gives them. */
  static String reason(InvalidPointsException e) {
    StringBuilder reason = new StringBuilder();
    for (PointError error : e.errors()) {
      if (!reason.isEmpty()) {
        reason.append("; ");
      }
      reason.append(error.field().isEmpty() ? "body" : error.field()).append(": ");
      reason.append(error.message());
    }
    int more = e.errorCount() - e.errors().size();
    if (more > 0) {
      reason.append(" (and ").append(more).append(" more)");
    }
    return reason.toString();
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
