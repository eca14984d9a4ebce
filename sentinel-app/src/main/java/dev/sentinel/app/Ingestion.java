package dev.sentinel.app;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.observe.BoundedHealthCheck;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.AnomalySink;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest pipeline as an assembly: the in-process bus and its detection threads ({@link
 * DetectionPipeline}), the telemetry history and its writer, and, with {@code bus.kind: kafka}, the
 * Kafka consumer in front of them. Every producer of points (the HTTP edges, the demo, the
 * consumer) publishes to {@link #edge()}.
 */
final class Ingestion implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Ingestion.class);

  private final StopOrder stops;
  private final SeriesRegistry registry = new SeriesRegistry();
  private final AnomalyLog anomalies = new AnomalyLog(10_000);
  private final LatestValues latest = new LatestValues();
  private final TelemetryHistory history;
  private final DetectionPipeline pipeline;
  private final Optional<KafkaBus> kafka;
  private final TelemetryBus edge;

  private Ingestion(
      StopOrder stops,
      SentinelConfig config,
      Path dataDir,
      AnomalySink desk,
      PipelineMetrics metrics,
      MeterRegistry meters,
      Clock clock) {
    this.stops = stops;
    ScheduledExecutorService pruning =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sentinel-history-timer").daemon(true).factory());
    stops.add(pruning::shutdownNow);
    history =
        stops.add(
            TelemetryHistory.open(config.telemetry(), dataDir, registry, clock, pruning, meters));
    log.info("telemetry store: {}", history.description());
    pipeline =
        stops.add(
            new DetectionPipeline(
                config.bus(),
                config.detection(),
                registry,
                latest,
                history::offer,
                anomalies,
                desk,
                metrics));
    Telemetry.busGauges(meters, pipeline);
    // Every producer of points — the HTTP edges, the demo, the Kafka consumer — goes through
    // the history's back-pressure, so that a slow store slows ingest down instead of losing
    // history (for Kafka: paused partitions, the backlog waiting in the topic).
    TelemetryBus guarded = history.edge(pipeline.bus(), config.telemetry());
    if (config.bus().usesKafka()) {
      KafkaBus started =
          KafkaBus.start(
              config.bus(),
              guarded,
              pipeline,
              history,
              registry,
              clock,
              metrics,
              config.server().cumulativeAsRate(),
              meters);
      stops.add(started);
      log.info(
          "telemetry bus: Kafka topic '{}' ({} records) as group '{}'{}",
          config.bus().kafka().topic(),
          config.bus().kafka().format(),
          config.bus().kafka().groupId(),
          config.bus().kafka().publishHttp() ? ", HTTP edges publish to it" : "");
      kafka = Optional.of(started);
    } else {
      kafka = Optional.empty();
    }
    edge = kafka.map(consumer -> consumer.edge(guarded)).orElse(guarded);
  }

  /** Starts the history writer, the detection threads and the Kafka consumer, in that order. */
  static Ingestion start(
      SentinelConfig config,
      Path dataDir,
      AnomalySink desk,
      PipelineMetrics metrics,
      MeterRegistry meters,
      Clock clock) {
    StopOrder stops = new StopOrder();
    try {
      return new Ingestion(stops, config, dataDir, desk, metrics, meters, clock);
    } catch (RuntimeException e) {
      stops.close();
      throw e;
    }
  }

  /** Where producers publish points. */
  TelemetryBus edge() {
    return edge;
  }

  SeriesRegistry registry() {
    return registry;
  }

  AnomalyLog anomalies() {
    return anomalies;
  }

  LatestValues latest() {
    return latest;
  }

  /** The telemetry store; empty with {@code telemetry.store: none}. */
  Optional<TelemetryStore> store() {
    return history.store();
  }

  HistoricalContext context() {
    return history.context();
  }

  /**
   * The bus, detection, the telemetry store and the Kafka consumer. Checks that reach another
   * server answer within 2 s, or say DOWN.
   */
  void addHealth(Map<String, HealthCheck> checks) {
    checks.put("bus", () -> Telemetry.busHealth(pipeline.bus()));
    checks.put("detection", pipeline::health);
    checks.put("telemetryStore", new BoundedHealthCheck(history::health, 2_000));
    kafka.ifPresent(
        consumer -> checks.put("kafka", new BoundedHealthCheck(consumer::health, 2_000)));
  }

  /**
   * Stops in the reverse order: the Kafka consumer commits what it handed on, the bus drains into
   * detection, the telemetry writer flushes.
   */
  @Override
  public void close() {
    stops.stop();
  }
}
