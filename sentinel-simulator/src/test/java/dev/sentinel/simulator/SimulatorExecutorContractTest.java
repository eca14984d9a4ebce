package dev.sentinel.simulator;

import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorContract;
import dev.sentinel.plan.Target;
import dev.sentinel.testing.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SimulatorExecutorContractTest extends ExecutorContract {

  @TempDir Path directory;

  @Override
  protected Executor executor() {
    return SimulatorExecutor.open(
        Fleet.demo(1),
        new FleetStateFile(directory.resolve("simulator.state")),
        new ManualClock(Timeline.WEDNESDAY_AFTERNOON));
  }

  @Override
  protected Target scalableTarget() {
    return new Target("simulator", "", "api");
  }

  @Override
  protected Target missingTarget() {
    return new Target("simulator", "", "payments");
  }
}
