package dev.sentinel.app;

import dev.sentinel.app.observe.Health;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The telemetry pipeline's gauges and health, and incident ids: the pieces of wiring the
 * composition root would otherwise spell out inline.
 */
final class Telemetry {

  private Telemetry() {}

  static void bindJvm(MeterRegistry meters) {
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  /** Ids like {@code inc-t5x2k1-7}: the start time in base 36 keeps restarts from colliding. */
  static Supplier<String> incidentIds(Clock clock) {
    String epoch = Long.toString(clock.millis() / 1000, 36);
    AtomicLong next = new AtomicLong();
    return () -> "inc-" + epoch + "-" + next.incrementAndGet();
  }

  static void busGauges(MeterRegistry meters, InProcessTelemetryBus bus, DetectionEngine[] engines) {
    Gauge.builder("sentinel.bus.queued.points", bus, InProcessTelemetryBus::queuedPoints)
        .description("Points accepted and waiting for detection")
        .register(meters);
    Gauge.builder("sentinel.bus.capacity.points", bus, InProcessTelemetryBus::capacityPoints)
        .description("Points the bus holds before producers get back-pressure")
        .register(meters);
    Gauge.builder("sentinel.detect.series", engines, Telemetry::seriesCount)
        .description("Series with detector state")
        .register(meters);
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

  static Health busHealth(InProcessTelemetryBus bus) {
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

  static Health detectionHealth(DetectionEngine[] engines, SeriesRegistry registry) {
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
}
