package dev.sentinel.app;

import dev.sentinel.app.config.BusConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.AnomalySink;
import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest pipeline's detection side: the in-process bus, one detection engine per partition and
 * what each partition does with a batch. A partition thread records the latest values, offers the
 * batch to the history writer, runs the detectors and drops any anomaly into the anomaly log and
 * the incident desk's queue. It never waits for a database: the desk's queue takes an anomaly
 * without blocking and without throwing, so nothing downstream can interrupt a detector's update.
 */
final class DetectionPipeline implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DetectionPipeline.class);

  private final DetectionEngine[] engines;
  private final SeriesRegistry registry;
  private final InProcessTelemetryBus bus;
  private final AtomicLong sinkFailures = new AtomicLong();

  /**
   * @param history takes each batch for the telemetry store (it queues; it does not write here)
   * @param desk the incident desk's queue, or any sink that never blocks
   */
  DetectionPipeline(
      BusConfig busConfig,
      DetectionConfig detection,
      SeriesRegistry registry,
      LatestValues latest,
      Consumer<PointBatch> history,
      AnomalyLog anomalies,
      AnomalySink desk,
      PipelineMetrics metrics) {
    this.registry = registry;
    int partitions = busConfig.effectivePartitions();
    this.engines = new DetectionEngine[partitions];
    for (int partition = 0; partition < partitions; partition++) {
      engines[partition] = new DetectionEngine(detection, registry);
    }
    AnomalySink sink =
        anomaly -> {
          metrics.anomalies.increment();
          anomalies.accept(anomaly);
          try {
            desk.accept(anomaly);
          } catch (RuntimeException e) {
            // The desk's queue does not throw; this guards the detectors' update against any
            // sink that does, since the engine reports a point before it learns from it.
            if (sinkFailures.getAndIncrement() == 0) {
              log.error("handing an anomaly of {} on failed", anomaly.series(), e);
            }
          }
        };
    this.bus =
        new InProcessTelemetryBus(
            partitions,
            busConfig.capacityPoints(),
            partition -> {
              DetectionEngine engine = engines[partition];
              return batch -> {
                long started = System.nanoTime();
                latest.record(batch);
                history.accept(batch);
                // This thread alone touches the engine; a Kafka warm-up runs here too (withEngine).
                engine.observe(batch, sink);
                metrics.batchDetection.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                metrics.pointsDetected.increment(batch.size());
              };
            });
  }

  InProcessTelemetryBus bus() {
    return bus;
  }

  /**
   * Runs {@code work} with the engine of a series on that engine's partition thread, in order with
   * the batches queued there: engines are not thread-safe, and each is confined to its thread.
   */
  <T> CompletableFuture<T> withEngine(int seriesId, Function<DetectionEngine, T> work) {
    int partition = bus.partitionOf(seriesId);
    return bus.onPartition(partition, () -> work.apply(engines[partition]));
  }

  /** The engines by partition; for tests, once the bus has consumed what it was given. */
  DetectionEngine[] engines() {
    return engines;
  }

  long seriesCount() {
    long total = 0;
    for (DetectionEngine engine : engines) {
      total += engine.seriesCount();
    }
    return total;
  }

  Health health() {
    long points = 0;
    long found = 0;
    for (DetectionEngine engine : engines) {
      points += engine.pointsObserved();
      found += engine.anomaliesFound();
    }
    return Health.up(
        java.util.Map.of(
            "series",
            seriesCount(),
            "registeredSeries",
            registry.size(),
            "points",
            points,
            "anomalies",
            found,
            "sinkFailures",
            sinkFailures.get()));
  }

  /** Drains the bus into detection, then stops its threads. */
  @Override
  public void close() {
    bus.close();
  }
}
