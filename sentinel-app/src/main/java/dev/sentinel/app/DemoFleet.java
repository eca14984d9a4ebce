package dev.sentinel.app;

import dev.sentinel.app.config.DemoConfig;
import dev.sentinel.app.demo.DemoDriver;
import dev.sentinel.app.demo.SlowExecutor;
import dev.sentinel.app.demo.StandInOnCall;
import dev.sentinel.app.http.ApiServer;
import dev.sentinel.execute.Executor;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.FleetStateFile;
import dev.sentinel.simulator.SimulatorExecutor;
import dev.sentinel.workflow.Approvals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The simulated fleet of {@code --demo}, part of {@link Remediation}: opened before the workflow
 * (its executor is one of the workflow's), started after it (its stand-in on-call engineer approves
 * through the workflow's approvals).
 */
final class DemoFleet {

  private final DemoConfig config;
  private final Fleet fleet;
  private final SimulatorExecutor simulator;
  private final Clock clock;

  private DemoFleet(DemoConfig config, Fleet fleet, SimulatorExecutor simulator, Clock clock) {
    this.config = config;
    this.fleet = fleet;
    this.simulator = simulator;
    this.clock = clock;
  }

  /** The fleet with its defective versions marked, and its executor's state under the data dir. */
  static DemoFleet open(DemoConfig config, Path dataDir, Clock clock) {
    Fleet fleet = Fleet.demo(config.seed());
    for (String pair : config.defectiveVersions()) {
      int split = pair.indexOf(':');
      fleet.markDefective(pair.substring(0, split), pair.substring(split + 1));
    }
    SimulatorExecutor simulator =
        SimulatorExecutor.open(
            fleet, new FleetStateFile(dataDir.resolve("simulator.state")), clock);
    return new DemoFleet(config, fleet, simulator, clock);
  }

  /** The fleet's executor, slowed down by {@code demo.actionDelayMillis} when set. */
  Executor executor() {
    return config.actionDelayMillis() > 0
        ? new SlowExecutor(simulator, config.actionDelayMillis())
        : simulator;
  }

  /**
   * Starts the demo's clock on a thread of its own: it publishes the fleet's telemetry to {@code
   * ingestion} (its back-filled past marked as history at {@code triage}'s desk), injects faults,
   * and stands in for the on-call engineer.
   *
   * @param approvals empty when remediation is disabled: the stand-in then approves nothing
   */
  ApiServer.Simulation start(
      Ingestion ingestion,
      Triage triage,
      StateStores state,
      Optional<Approvals> approvals,
      StopOrder stops) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sentinel-demo").daemon(true).factory());
    stops.add(timer::shutdownNow);
    DemoDriver demo =
        new DemoDriver(
            config,
            clock,
            ingestion.registry(),
            ingestion.edge(),
            timer,
            fleet,
            simulator,
            new StandInOnCall(state.incidents(), state.audit(), approvals, clock),
            triage.desk());
    demo.start();
    stops.add(demo);
    return new ApiServer.Simulation(fleet, demo);
  }
}
