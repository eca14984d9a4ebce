package dev.sentinel.app.demo;

import dev.sentinel.app.config.DemoConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.incident.IncidentDesk;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.simulator.Fault;
import dev.sentinel.simulator.FaultKind;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.SimulatorExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulated fleet for {@code sentinel run --demo}: back-fills history so the detectors
 * start warm, then emits one sample of every series each second, and injects a fault from its
 * rotation whenever the fleet is healthy again and the interval has passed. Sentinel itself fixes
 * the faults (or asks a human to approve the fix); a fault still there after four minutes — one
 * Sentinel escalated, or whose fix nobody approved — is cleared by the demo, as a person would, and
 * an escalated incident quiet for two minutes is closed ({@link StandInOnCall}).
 *
 * <p>Threading: everything runs on the one timer thread it is given, except {@link #inject}, which
 * the fleet's own lock makes safe from an HTTP thread.
 */
public final class DemoDriver implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("demo");
  private static final long BACKFILL_STEP_MILLIS = 60_000;

  /**
   * How long an injected fault may stay before the demo clears it itself: longer than Sentinel's
   * own rounds (settle, action, verification window, a second round) take.
   */
  private static final long STAND_IN_FIX_MILLIS = 240_000;

  /**
   * An escalated incident quiet this long is closed by the stand-in (see {@link StandInOnCall}).
   */
  private static final long STAND_IN_QUIET_MILLIS = 120_000;

  private final DemoConfig config;
  private final Clock clock;
  private final SeriesRegistry registry;
  private final TelemetryBus bus;
  private final ScheduledExecutorService timer;
  private final Fleet fleet;
  private final SimulatorExecutor executor;
  private final StandInOnCall onCall;
  private final IncidentDesk desk;
  private long ticks;
  private final Map<SeriesKey, Integer> ids = new IdentityHashMap<>();
  private PointBatch pending = new PointBatch(1024);
  private volatile long liveSince;
  private volatile int faultsInjected;
  private volatile long pointsEmitted;
  private long lastInjectionAt;
  private ScheduledFuture<?> ticking;

  public DemoDriver(
      DemoConfig config,
      Clock clock,
      SeriesRegistry registry,
      TelemetryBus bus,
      ScheduledExecutorService timer,
      Fleet fleet,
      SimulatorExecutor executor,
      StandInOnCall onCall,
      IncidentDesk desk) {
    this.config = config;
    this.desk = desk;
    this.onCall = onCall;
    this.clock = clock;
    this.registry = registry;
    this.bus = bus;
    this.timer = timer;
    this.fleet = fleet;
    this.executor = executor;
  }

  public void start() {
    timer.execute(this::backfill);
    ticking = timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private void backfill() {
    long now = clock.millis();
    // The fleet's past trains the detectors; its anomalies open no incident dated hours ago.
    desk.historyBefore(now);
    long from = now - Duration.ofHours(config.backfillHours()).toMillis();
    from -= from % BACKFILL_STEP_MILLIS;
    long points = 0;
    for (long at = from; at < now - 1000; at += BACKFILL_STEP_MILLIS) {
      fleet.emit(at, this::collect);
      if (pending.size() >= 50_000) {
        points += publish();
      }
    }
    points += publish();
    liveSince = clock.millis();
    lastInjectionAt =
        liveSince - config.faultIntervalSeconds() * 1000L + config.firstFaultSeconds() * 1000L;
    log.info(
        "demo fleet {} is live: back-filled {} points of {} h history to warm the detectors up{}",
        fleet.services(),
        points,
        config.backfillHours(),
        config.autoFaults()
            ? "; a fault is injected every "
                + config.faultIntervalSeconds()
                + " s once the fleet is healthy"
            : "; faults only on request (POST /api/v1/simulator/faults)");
  }

  private void tick() {
    if (liveSince == 0) {
      return;
    }
    try {
      long now = clock.millis();
      fleet.emit(now, this::collect);
      publish();
      if (config.autoFaults() && ++ticks % 10 == 0) {
        onCall.closeQuietEscalations(STAND_IN_QUIET_MILLIS);
        onCall.approveWaitingPlans(STAND_IN_QUIET_MILLIS);
      }
      if (config.autoFaults()
          && !fleet.unhandledFaults().isEmpty()
          && now - lastInjectionAt >= STAND_IN_FIX_MILLIS) {
        // Sentinel escalated this one, or is still waiting for an approval nobody gives: the
        // demo's stand-in for the on-call engineer fixes it, so the rotation goes on.
        log.info(
            "nobody fixed {} within {} s: the demo's stand-in for the on-call engineer clears it",
            fleet.unhandledFaults().stream().map(f -> f.kind() + " in " + f.service()).toList(),
            STAND_IN_FIX_MILLIS / 1000);
        fleet.clearFaults();
        executor.save();
      }
      if (config.autoFaults()
          && fleet.unhandledFaults().isEmpty()
          && now - lastInjectionAt >= config.faultIntervalSeconds() * 1000L
          && !onCall.busy()) {
        // Not while an action is being verified: a new fault then would read as the action's
        // doing and be rolled back.
        FaultPlan next = FaultPlan.nth(faultsInjected);
        inject(next.kind(), next.service());
      }
    } catch (RuntimeException e) {
      log.error("demo tick failed", e);
    }
  }

  /** Injects a fault now and saves the fleet, so a restarted Sentinel finds it again. */
  public Fault inject(FaultKind kind, String service) {
    long now = clock.millis();
    Fault fault = fleet.inject(kind, service, now);
    executor.save();
    lastInjectionAt = now;
    faultsInjected++;
    log.info("injected fault #{}: {} in {}", faultsInjected, kind, service);
    return fault;
  }

  private void collect(SeriesKey series, long timestampMillis, double value) {
    pending.add(ids.computeIfAbsent(series, registry::intern), timestampMillis, value);
  }

  /** Hands the pending batch to the bus (which then owns it) and starts a new one. */
  private long publish() {
    int size = pending.size();
    if (size == 0) {
      return 0;
    }
    PointBatch handedOver = pending;
    pending = new PointBatch(Math.max(64, size));
    try {
      bus.publish(handedOver);
      pointsEmitted += size;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return size;
  }

  public Health health() {
    boolean warm = liveSince > 0;
    return new Health(
        warm ? Health.Status.UP : Health.Status.DEGRADED,
        warm ? "simulating" : "back-filling history",
        Map.of(
            "services",
            fleet.services(),
            "faultsInjected",
            faultsInjected,
            "activeFaults",
            fleet.activeFaults().size(),
            "pointsEmitted",
            pointsEmitted));
  }

  @Override
  public void close() {
    if (ticking != null) {
      ticking.cancel(false);
    }
  }
}
