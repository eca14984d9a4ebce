package dev.sentinel.app;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.demo.DemoDriver;
import dev.sentinel.app.http.ApiServer;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of Sentinel with {@code new} from the typed
 * configuration, starts them in order and stops them in reverse. Adding a part is a line here.
 */
public final class Sentinel implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sentinel.class);

  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private final int port;

  private Sentinel(SentinelConfig config, Clock clock) {
    Path dataDir = createDataDir(config.dataDir());
    SeriesRegistry registry = new SeriesRegistry();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindJvmMetrics(meters);
    PipelineMetrics metrics = new PipelineMetrics(meters);

    AnomalyLog anomalies = new AnomalyLog(10_000);
    Correlator incidents =
        new Correlator(config.incidents(), incidentIds(clock), narrator(metrics));

    int partitions = config.bus().effectivePartitions();
    DetectionEngine[] engines = new DetectionEngine[partitions];
    InProcessTelemetryBus bus =
        new InProcessTelemetryBus(
            partitions,
            config.bus().capacityPoints(),
            partition -> {
              DetectionEngine engine = new DetectionEngine(config.detection(), registry);
              engines[partition] = engine;
              return batch -> {
                long started = System.nanoTime();
                engine.observe(
                    batch,
                    anomaly -> {
                      metrics.anomalies.increment();
                      anomalies.accept(anomaly);
                      incidents.accept(anomaly);
                    });
                metrics.batchDetection.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                metrics.pointsDetected.increment(batch.size());
              };
            });
    closeInReverse.add(bus);
    Gauge.builder("sentinel.bus.queued.points", bus, InProcessTelemetryBus::queuedPoints)
        .description("Points accepted and waiting for detection")
        .register(meters);
    Gauge.builder("sentinel.bus.capacity.points", bus, InProcessTelemetryBus::capacityPoints)
        .description("Points the bus holds before producers get back-pressure")
        .register(meters);
    Gauge.builder("sentinel.detect.series", engines, Sentinel::seriesCount)
        .description("Series with detector state")
        .register(meters);
    Gauge.builder("sentinel.incidents.open", incidents, Correlator::openCount)
        .description("Incidents currently open")
        .register(meters);

    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sentinel-timer").daemon(true).factory());
    closeInReverse.add(timers::shutdownNow);
    timers.scheduleWithFixedDelay(
        () -> incidents.sweep(clock.millis()), 5, 5, TimeUnit.SECONDS);

    Map<String, HealthCheck> health = new LinkedHashMap<>();
    health.put("bus", () -> busHealth(bus));
    health.put("detection", () -> detectionHealth(engines, registry));
    health.put("dataDir", () -> dataDirHealth(dataDir));

    if (config.demo().enabled()) {
      DemoDriver demo = new DemoDriver(config.demo(), clock, registry, bus, timers);
      health.put("demo", demo::health);
      demo.start();
      closeInReverse.add(demo);
    }

    ApiServer api =
        new ApiServer(
            new ApiServer.Parts(
                config.server(),
                clock,
                bus,
                new JsonPointDecoder(registry, clock),
                anomalies,
                incidents,
                metrics,
                meters,
                health));
    closeInReverse.add(api);
    this.port = api.start();
  }

  /** Builds and starts everything; on failure, stops what was started and rethrows. */
  public static Sentinel start(SentinelConfig config, Clock clock) {
    return new Sentinel(config, clock);
  }

  public int port() {
    return port;
  }

  private static Path createDataDir(String dataDir) {
    Path path = Path.of(dataDir).toAbsolutePath().normalize();
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + path, e);
    }
    return path;
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry meters) {
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  private static java.util.function.Supplier<String> incidentIds(Clock clock) {
    String epoch = Long.toString(clock.millis() / 1000, 36);
    AtomicLong next = new AtomicLong();
    return () -> "inc-" + epoch + "-" + next.incrementAndGet();
  }

  private static IncidentListener narrator(PipelineMetrics metrics) {
    return new IncidentListener() {
      @Override
      public void opened(Incident incident, Anomaly first) {
        metrics.incidentsOpened.increment();
        log.info(
            "incident {} opened for {}: {} = {} outside expected [{}, {}] (score {}, {})",
            incident.id(),
            incident.groupLabels().isEmpty() ? incident.groupKey() : incident.groupLabels(),
            first.series(),
            String.format("%.4g", first.value()),
            String.format("%.4g", first.expectedLow()),
            String.format("%.4g", first.expectedHigh()),
            String.format("%.1f", first.score()),
            first.detectors());
      }

      @Override
      public void resolved(Incident incident) {
        log.info(
            "incident {} resolved: quiet since {} ({} anomalies on {} series)",
            incident.id(),
            java.time.Instant.ofEpochMilli(incident.lastAnomalyAtMillis()),
            incident.anomalyCount(),
            incident.series().size());
      }
    };
  }

  private static double seriesCount(DetectionEngine[] engines) {
    long total = 0;
    for (DetectionEngine engine : engines) {
      if (engine != null) {
        total += engine.seriesCount();
      }
    }
    return total;
  }

  private static Health busHealth(InProcessTelemetryBus bus) {
    double fill = (double) bus.queuedPoints() / bus.capacityPoints();
    Map<String, Object> details =
        Map.of(
            "queuedPoints", bus.queuedPoints(),
            "capacityPoints", bus.capacityPoints(),
            "partitions", bus.partitions(),
            "failedBatches", bus.consumerFailures());
    if (fill >= 0.9) {
      return new Health(Health.Status.DEGRADED, "the pipeline is nearly full", details);
    }
    return Health.up(details);
  }

  private static Health detectionHealth(DetectionEngine[] engines, SeriesRegistry registry) {
    long points = 0;
    long found = 0;
    for (DetectionEngine engine : engines) {
      points += engine.pointsObserved();
      found += engine.anomaliesFound();
    }
    return Health.up(
        Map.of(
            "series", (long) seriesCount(engines),
            "registeredSeries", registry.size(),
            "points", points,
            "anomalies", found));
  }

  private static Health dataDirHealth(Path dataDir) {
    Map<String, Object> details = Map.of("path", dataDir.toString());
    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
      return new Health(Health.Status.DOWN, "the data directory is not writable", details);
    }
    return Health.up(details);
  }

  @Override
  public void close() {
    for (AutoCloseable part : closeInReverse.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("stopping {} failed", part, e);
      }
    }
  }
}
