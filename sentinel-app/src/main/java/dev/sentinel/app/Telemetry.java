package dev.sentinel.app;

import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
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
import java.util.EnumMap;
import java.util.EnumSet;
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

  static void busGauges(
      MeterRegistry meters, InProcessTelemetryBus bus, DetectionEngine[] engines) {
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

  /**
   * Unresolved incidents by status ({@code sentinel_incidents{state="awaiting_approval"}}), counted
   * from the store at most every 10 s however often Prometheus scrapes.
   */
  static void incidentGauges(MeterRegistry meters, IncidentStore incidents, Clock clock) {
    IncidentCounts counts = new IncidentCounts(incidents, clock);
    for (IncidentStatus status : EnumSet.complementOf(EnumSet.of(IncidentStatus.RESOLVED))) {
      Gauge.builder("sentinel.incidents", counts, c -> c.count(status))
          .description("Unresolved incidents by state (counted up to 10000 each)")
          .tag("state", status.code())
          .register(meters);
    }
  }

  private static final class IncidentCounts {
    private final IncidentStore incidents;
    private final Clock clock;
    private Map<IncidentStatus, Integer> counts = Map.of();
    private long countedAtMillis = Long.MIN_VALUE;

    IncidentCounts(IncidentStore incidents, Clock clock) {
      this.incidents = incidents;
      this.clock = clock;
    }

    synchronized double count(IncidentStatus status) {
      long now = clock.millis();
      if (now - countedAtMillis >= 10_000) {
        Map<IncidentStatus, Integer> fresh = new EnumMap<>(IncidentStatus.class);
        for (var incident : incidents.list(IncidentFilter.open(), 40_000)) {
          fresh.merge(incident.status(), 1, Integer::sum);
        }
        counts = fresh;
        countedAtMillis = now;
      }
      return counts.getOrDefault(status, 0);
    }
  }

  /**
   * Each health check as a gauge, {@code sentinel_health_status{component="telemetryStore"}}: 0 up,
   * 1 degraded, 2 down; what the alerting rules on a degraded store read.
   */
  static void healthGauges(MeterRegistry meters, Map<String, HealthCheck> checks) {
    for (Map.Entry<String, HealthCheck> check : checks.entrySet()) {
      Gauge.builder("sentinel.health.status", check.getValue(), Telemetry::healthLevel)
          .description("Health of each component: 0 up, 1 degraded, 2 down")
          .tag("component", check.getKey())
          .register(meters);
    }
  }

  private static double healthLevel(HealthCheck check) {
    try {
      return switch (check.check().status()) {
        case UP -> 0;
        case DEGRADED -> 1;
        case DOWN -> 2;
      };
    } catch (RuntimeException e) {
      return 2;
    }
  }

  /**
   * 1 while the auto-approval circuit breaker is open (or half-open), else 0; returns the policy.
   */
  static ApprovalPolicy breakerGauge(MeterRegistry meters, ApprovalPolicy policy) {
    Gauge.builder(
            "sentinel.approval.breaker.open",
            policy,
            p -> p.breakerState().contains("OPEN") ? 1 : 0)
        .description("1 while the circuit breaker stops auto-approval (open or half-open)")
        .register(meters);
    return policy;
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
            "series",
            (long) seriesCount(engines),
            "registeredSeries",
            registry.size(),
            "points",
            points,
            "anomalies",
            found));
  }
}
