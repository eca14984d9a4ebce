package dev.sentinel.app;

import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.incident.IncidentDesk;
import dev.sentinel.incident.IncidentDesk.Stats;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.ingest.InProcessTelemetryBus;
import io.micrometer.core.instrument.FunctionCounter;
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
import java.util.function.ToDoubleFunction;

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

  static void busGauges(MeterRegistry meters, DetectionPipeline pipeline) {
    InProcessTelemetryBus bus = pipeline.bus();
    Gauge.builder("sentinel.bus.queued.points", bus, InProcessTelemetryBus::queuedPoints)
        .description("Points accepted and waiting for detection")
        .register(meters);
    Gauge.builder("sentinel.bus.capacity.points", bus, InProcessTelemetryBus::capacityPoints)
        .description("Points the bus holds before producers get back-pressure")
        .register(meters);
    Gauge.builder("sentinel.detect.series", pipeline, DetectionPipeline::seriesCount)
        .description("Series with detector state")
        .register(meters);
  }

  /**
   * The incident desk's queue: what it holds, how old the oldest is, and what it merged, shed or
   * gave up on (each a loss an operator should see).
   */
  static void deskMeters(MeterRegistry meters, IncidentDesk desk) {
    Gauge.builder("sentinel.incident.desk.held", desk, d -> d.stats().held())
        .description("Anomalies waiting at the incident desk")
        .strongReference(true)
        .register(meters);
    Gauge.builder("sentinel.incident.desk.capacity", desk, d -> d.stats().capacity())
        .description("Anomalies the incident desk holds at most")
        .strongReference(true)
        .register(meters);
    Gauge.builder(
            "sentinel.incident.desk.oldest.age", desk, d -> d.stats().oldestAgeMillis() / 1000.0)
        .description("How long the oldest anomaly at the incident desk has waited")
        .baseUnit("seconds")
        .strongReference(true)
        .register(meters);
    deskCounter(meters, desk, "correlated", "correlated into incidents", Stats::correlated);
    deskCounter(
        meters, desk, "merged", "merged into a newer one of the same series", Stats::merged);
    deskCounter(meters, desk, "shed", "shed because the desk was full", Stats::shed);
    deskCounter(meters, desk, "abandoned", "dropped after failing too long", Stats::abandoned);
    deskCounter(
        meters, desk, "history", "found in back-filled history: trained only", Stats::history);
    FunctionCounter.builder("sentinel.incident.desk.failures", desk, d -> d.stats().failures())
        .description("Tries to correlate an anomaly that failed (each is retried)")
        .register(meters);
  }

  private static void deskCounter(
      MeterRegistry meters,
      IncidentDesk desk,
      String outcome,
      String description,
      ToDoubleFunction<Stats> count) {
    FunctionCounter.builder(
            "sentinel.incident.desk.anomalies", desk, d -> count.applyAsDouble(d.stats()))
        .description("Anomalies that left the incident desk, by outcome: " + description)
        .tag("outcome", outcome)
        .register(meters);
  }

  /**
   * DEGRADED while correlation fails (anomalies are held and retried), while the queue is nine
   * tenths full, or when anomalies were shed or given up in the last five minutes.
   */
  static Health deskHealth(IncidentDesk desk, DeskLosses losses) {
    Stats stats = desk.stats();
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("held", stats.held());
    details.put("capacity", stats.capacity());
    details.put("oldestAgeMillis", stats.oldestAgeMillis());
    details.put("correlated", stats.correlated());
    details.put("merged", stats.merged());
    details.put("shed", stats.shed());
    details.put("abandoned", stats.abandoned());
    details.put("history", stats.history());
    details.put("failures", stats.failures());
    if (stats.failing()) {
      return new Health(
          Health.Status.DEGRADED,
          "correlating fails (" + stats.lastError() + "); anomalies are held and retried",
          details);
    }
    if (stats.held() >= 0.9 * stats.capacity()) {
      return new Health(Health.Status.DEGRADED, "the incident desk is nearly full", details);
    }
    if (losses.recent(stats)) {
      return new Health(
          Health.Status.DEGRADED,
          "the incident desk shed or gave up on anomalies in the last five minutes",
          details);
    }
    return Health.up(details);
  }

  /** Remembers when the desk last lost anomalies, as seen by successive health checks. */
  static final class DeskLosses {
    private final Clock clock;
    private long lost;
    private long lastLossMillis = Long.MIN_VALUE;

    DeskLosses(Clock clock) {
      this.clock = clock;
    }

    synchronized boolean recent(Stats stats) {
      long now = clock.millis();
      long total = stats.shed() + stats.abandoned();
      if (total > lost) {
        lost = total;
        lastLossMillis = now;
      }
      return lastLossMillis != Long.MIN_VALUE && now - lastLossMillis < 300_000;
    }
  }

  /**
   * Unresolved incidents by status ({@code sentinel_incidents{state="awaiting_approval"}}), counted
   * from the store at most every 10 s however often Prometheus scrapes.
   */
  static void incidentGauges(MeterRegistry meters, IncidentStore incidents, Clock clock) {
    IncidentCounts counts = new IncidentCounts(incidents, clock);
    for (IncidentStatus status : EnumSet.complementOf(EnumSet.of(IncidentStatus.RESOLVED))) {
      // Nothing else holds the counts, and Micrometer holds a gauge's object weakly: without a
      // strong reference it is collected and the gauge reads NaN.
      Gauge.builder("sentinel.incidents", counts, c -> c.count(status))
          .description("Unresolved incidents by state (counted up to 10000 each)")
          .tag("state", status.code())
          .strongReference(true)
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
      // The first read counts at once (now - Long.MIN_VALUE would overflow to a negative age).
      if (countedAtMillis == Long.MIN_VALUE || now - countedAtMillis >= 10_000) {
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
}
