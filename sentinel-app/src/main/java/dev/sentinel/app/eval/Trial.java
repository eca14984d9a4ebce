package dev.sentinel.app.eval;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.simulator.Fault;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.FleetStateFile;
import dev.sentinel.simulator.SimulatorExecutor;
import dev.sentinel.testing.ManualClock;
import dev.sentinel.workflow.Approvals;
import dev.sentinel.workflow.InMemoryCaseQueue;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one scenario through the loop on simulated time, as {@code sentinel run --demo} would run it
 * on the wall clock: 48 hours of the fleet's history at one point a minute train the detectors
 * (their anomalies open no incident, as the desk treats the demo's back-fill); then the fleet runs
 * live, one sample of every series each simulated second, and every anomaly goes through the
 * correlator to the workflow. Each second the desk's sweeper may resolve quiet incidents, a
 * stand-in for the on-call engineer approves plans that waited long enough, and the workflow works
 * every case that is due.
 *
 * <p>A fault trial goes live {@value #LEAD_SECONDS} s before its first fault and runs until every
 * fault is gone and no incident is still being worked, or {@value #HORIZON_SECONDS} s after the
 * last fault. Then the evaluation clears whatever fault is left (its load goes away: the fault is
 * gone) and runs {@value #COOLDOWN_SECONDS} s more before the invariants are checked, so that
 * Sentinel has the time to undo what it no longer needs. A quiet trial runs one simulated day.
 */
final class Trial {

  /** Wednesday 2026-12-02 00:00 UTC: the back-fill before it covers ordinary weekdays. */
  static final long DAY_MILLIS = 1_796_169_600_000L;

  static final int BACKFILL_HOURS = 48;
  static final long BACKFILL_STEP_MILLIS = 60_000;
  static final long LEAD_SECONDS = 120;
  static final long HORIZON_SECONDS = 1_200;
  static final long COOLDOWN_SECONDS = 600;
  static final long QUIET_DAY_SECONDS = 86_400;
  static final long SWEEP_EVERY_MILLIS = 5_000;
  static final long STAND_IN_EVERY_MILLIS = 10_000;

  /** Anomalies this long after a fault cleared are still its own (a tail of recovery). */
  static final long ATTRIBUTION_GRACE_MILLIS = 120_000;

  /** Who approves plans in the evaluation; its approvals are counted per fault. */
  static final String ON_CALL = "eval-on-call";

  private final SentinelConfig config;
  private final Scenario scenario;
  private final int index;
  private final long approvalDelayMillis;
  private final boolean wallClockLimits;
  private final Path stateDir;

  private final Ledger ledger = new Ledger();
  private final Map<SeriesKey, Integer> ids = new IdentityHashMap<>();
  private ManualClock clock;
  private Fleet fleet;
  private RecordingExecutor executor;
  private LoopUnderTest loop;
  private boolean live;
  private String lastIncident;

  Trial(
      SentinelConfig config,
      Scenario scenario,
      int index,
      long approvalDelayMillis,
      boolean wallClockLimits,
      Path stateDir) {
    this.config = config;
    this.scenario = scenario;
    this.index = index;
    this.approvalDelayMillis = approvalDelayMillis;
    this.wallClockLimits = wallClockLimits;
    this.stateDir = stateDir;
  }

  TrialResult run() {
    long wallStart = System.nanoTime();
    long firstFault = DAY_MILLIS + scenario.hourUtc() * 3_600_000L;
    long liveStart = scenario.quiet() ? firstFault : firstFault - LEAD_SECONDS * 1000;
    clock = new ManualClock(liveStart - BACKFILL_HOURS * 3_600_000L);
    fleet = Fleet.demo(scenario.seed());
    for (String pair : config.demo().defectiveVersions()) {
      int split = pair.indexOf(':');
      fleet.markDefective(pair.substring(0, split), pair.substring(split + 1));
    }
    SimulatorExecutor simulator =
        SimulatorExecutor.open(
            fleet, new FleetStateFile(stateDir.resolve("trial-" + index + ".state")), clock);
    executor = new RecordingExecutor(simulator, clock);
    Map<String, Integer> baseline = new LinkedHashMap<>();
    for (String service : fleet.services()) {
      baseline.put(service, fleet.state(service).replicas());
    }
    long settleMillis = config.remediation().workflow().settleSeconds() * 1000;
    try (LoopUnderTest built =
        new LoopUnderTest(
            config, clock, executor, wallClockLimits, queue -> new Desk(queue, settleMillis))) {
      loop = built;
      backfill(liveStart);
      live = true;
      long lastFault =
          firstFault
              + scenario.faults().stream()
                      .mapToLong(Scenario.Planned::offsetSeconds)
                      .max()
                      .orElse(0)
                  * 1000;
      long end = runLive(liveStart, firstFault, lastFault);
      Judge judge = new Judge(ledger, loop, executor, fleet, baseline);
      return new TrialResult(
          index,
          scenario,
          judge.faults(),
          judge.incidents().size(),
          judge.opened(liveStart),
          judge.knockOn(),
          judge.spurious(),
          judge.invariantBreaks(),
          judge.wallClockLimited(),
          (end - liveStart) / 1000,
          (System.nanoTime() - wallStart) / 1_000_000);
    }
  }

  private void backfill(long liveStart) {
    long from = liveStart - BACKFILL_HOURS * 3_600_000L;
    for (long at = from; at < liveStart - 1000; at += BACKFILL_STEP_MILLIS) {
      clock.set(at);
      fleet.emit(at, this::observe);
    }
  }

  /** Ticks the live fleet until the trial ends; returns the simulated time it ended at. */
  private long runLive(long liveStart, long firstFault, long lastFault) {
    int planned = 0;
    long clearedAt = -1;
    for (long t = liveStart; ; t += 1000) {
      clock.set(t);
      while (planned < scenario.faults().size()
          && firstFault + scenario.faults().get(planned).offsetSeconds() * 1000 <= t) {
        Scenario.Planned next = scenario.faults().get(planned++);
        ledger.injected.add(new Ledger.Injected(fleet.inject(next.kind(), next.service(), t)));
      }
      fleet.emit(t, this::observe);
      if ((t - liveStart) % SWEEP_EVERY_MILLIS == 0) {
        loop.correlator.sweep(t);
      }
      if ((t - liveStart) % STAND_IN_EVERY_MILLIS == 0) {
        approveWaitingPlans(t);
      }
      loop.work();
      trackFaults(t);
      if (scenario.quiet()) {
        if (t - liveStart >= QUIET_DAY_SECONDS * 1000) {
          return t;
        }
      } else if (clearedAt < 0) {
        if (planned == scenario.faults().size()
            && (settled(t, lastFault) || t - lastFault >= HORIZON_SECONDS * 1000)) {
          clearedAt = t;
          clearRemainingFaults(t);
        }
      } else if (t - clearedAt >= COOLDOWN_SECONDS * 1000) {
        return t;
      }
    }
  }

  /** Every fault gone and no incident still being worked or waiting for a decision. */
  private boolean settled(long t, long lastFault) {
    if (t - lastFault < 60_000 || !ledger.injected.stream().allMatch(Ledger.Injected::cleared)) {
      return false;
    }
    IncidentFilter working =
        new IncidentFilter(
            EnumSet.of(
                IncidentStatus.OPEN, IncidentStatus.REMEDIATING, IncidentStatus.AWAITING_APPROVAL),
            null,
            null,
            null,
            null);
    return loop.incidents.list(working, 1).isEmpty();
  }

  private void clearRemainingFaults(long t) {
    for (Ledger.Injected fault : ledger.injected) {
      if (!fault.cleared()) {
        fault.clearedAtMillis = t;
        fault.clearedBy = "harness";
      }
    }
    fleet.clearFaults();
  }

  /**
   * Notes when each fault stops hurting its service (or starts again: a scale-out that was rolled
   * back), and whether an action on its service at that second ended it.
   */
  private void trackFaults(long t) {
    List<Fault> hurting = fleet.unhandledFaults();
    Set<String> actedOn = new HashSet<>();
    for (RecordingExecutor.Call call : executor.calls()) {
      if (call.atMillis() == t && call.applied()) {
        actedOn.add(call.action().target().resource());
      }
    }
    for (Ledger.Injected fault : ledger.injected) {
      if (fault.clearedBy.equals("harness")) {
        continue;
      }
      boolean active = hurting.contains(fault.fault);
      if (!active && !fault.cleared()) {
        fault.clearedAtMillis = t;
        fault.clearedBy = actedOn.contains(fault.service) ? "action" : "itself";
      } else if (active && fault.cleared()) {
        fault.clearedAtMillis = 0;
        fault.clearedBy = "";
      }
    }
  }

  /** The stand-in for the on-call engineer approves every plan that waited long enough. */
  private void approveWaitingPlans(long now) {
    IncidentFilter waiting =
        new IncidentFilter(EnumSet.of(IncidentStatus.AWAITING_APPROVAL), null, null, null, null);
    for (Incident incident : loop.incidents.list(waiting, 100)) {
      long askedAt =
          loop.incidents.timeline(incident.id(), 10_000).stream()
              .filter(e -> e.kind().equals("approval") && e.summary().startsWith("approval needed"))
              .mapToLong(TimelineEvent::atMillis)
              .max()
              .orElse(now);
      if (now - askedAt < approvalDelayMillis) {
        continue;
      }
      try {
        loop.approvals.approve(incident.id(), ON_CALL, "the evaluation's stand-in read the plan");
      } catch (Approvals.NotWaitingException e) {
        // Moved on between the listing and the decision: nothing to approve.
      }
    }
  }

  private void observe(SeriesKey series, long atMillis, double value) {
    int id = ids.computeIfAbsent(series, loop.registry::intern);
    loop.latest.record(id, atMillis, value);
    loop.engine.observe(id, atMillis, value, this::anomaly);
  }

  private void anomaly(Anomaly anomaly) {
    loop.anomalies.accept(anomaly);
    if (!live) {
      return; // history trains the detectors and opens no incident, as at the demo's desk
    }
    lastIncident = null;
    try {
      loop.correlator.accept(anomaly);
    } catch (RuntimeException e) {
      ledger.deskFailures.add(anomaly.series() + ": " + e);
    }
    ledger.seen.add(
        new Ledger.Seen(
            anomaly.timestampMillis(),
            anomaly.series().label("service"),
            anomaly.series().name(),
            lastIncident));
  }

  /**
   * What the incident desk's narrator does for the workflow: it queues each opened or reopened
   * incident after the settle time, and notes the opening on the timeline. The evaluation also
   * notes which incident each anomaly went to.
   */
  private final class Desk implements IncidentListener {
    private final InMemoryCaseQueue queue;
    private final long settleMillis;

    Desk(InMemoryCaseQueue queue, long settleMillis) {
      this.queue = queue;
      this.settleMillis = settleMillis;
    }

    @Override
    public void opened(Incident incident, Anomaly first) {
      note(incident, "opened", "opened for " + incident.groupLabels() + ": " + first.describe());
    }

    @Override
    public void reopened(Incident incident, Anomaly anomaly) {
      note(incident, "reopened", "reopened: " + anomaly.series() + " is out of range again");
    }

    @Override
    public void attached(Incident incident, Anomaly anomaly, boolean newSeries) {
      lastIncident = incident.id();
    }

    private void note(Incident incident, String kind, String summary) {
      lastIncident = incident.id();
      loop.incidents.record(
          new TimelineEvent(incident.id(), clock.millis(), kind, "sentinel", summary, Map.of()));
      queue.enqueue(incident.id(), clock.millis() + settleMillis);
    }
  }
}
