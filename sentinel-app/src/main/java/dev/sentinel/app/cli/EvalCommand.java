package dev.sentinel.app.cli;

import ch.qos.logback.classic.Level;
import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.ConfigLoader;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.eval.LoopEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sentinel eval}: measures how well Sentinel does its work. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate Sentinel against the simulated fleet.",
    subcommands = {EvalCommand.Loop.class})
final class EvalCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * {@code sentinel eval loop}: the fault matrix through the whole loop on simulated time; exits 1
   * when an invariant broke, 2 on bad arguments or configuration.
   */
  @Command(
      name = "loop",
      mixinStandardHelpOptions = true,
      description =
          "Inject the fault matrix into the simulated fleet and run detection, the incident desk,"
              + " the workflow, the simulator's executor and verification on simulated time;"
              + " print the outcomes and exit 1 when an invariant broke.")
  static final class Loop implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--trials",
        defaultValue = "200",
        description = "Trials of the matrix to run (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description =
            "Seed of the matrix's order and the fleet's noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--approve-after",
        defaultValue = "60",
        description =
            "Seconds a plan waits before the stand-in for the on-call engineer approves it"
                + " (default: ${DEFAULT-VALUE}).")
    long approveAfterSeconds;

    @Option(
        names = "--wall-clock-limits",
        description =
            "Apply the auto-approval rate limits, which count wall time: over simulated time they"
                + " bind far too early (default: off).")
    boolean wallClockLimits;

    @Option(names = "--json", description = "Also write every trial's record to this JSON file.")
    Path json;

    @Option(
        names = {"-c", "--config"},
        description =
            "YAML configuration whose detection, incidents and remediation sections apply"
                + " (default: built-in).")
    Path config;

    @Override
    public Integer call() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();
      if (trials < 1 || approveAfterSeconds < 0) {
        err.println("sentinel: --trials must be >= 1 and --approve-after >= 0");
        return 2;
      }
      SentinelConfig loaded;
      try {
        loaded = new ConfigLoader().load(config, System.getenv());
      } catch (ConfigException e) {
        err.println("sentinel: " + e.getMessage());
        return 2;
      }
      String command =
          "sentinel eval loop --trials "
              + trials
              + " --seed "
              + seed
              + " --approve-after "
              + approveAfterSeconds
              + (wallClockLimits ? " --wall-clock-limits" : "");
      long started = System.nanoTime();
      LoopEvaluation.Run run;
      // The loop's own story (incident, workflow) would bury the table: warnings only, while it
      // runs; the levels are put back after, for whatever runs next in this JVM.
      Map<ch.qos.logback.classic.Logger, Level> levels = quiet();
      try {
        run =
            new LoopEvaluation(loaded, approveAfterSeconds * 1000, wallClockLimits)
                .run(
                    trials,
                    seed,
                    line -> {
                      err.println(line);
                      err.flush();
                    });
      } finally {
        levels.forEach(ch.qos.logback.classic.Logger::setLevel);
      }
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      out.println("## " + command);
      out.println();
      out.println(trials + " trials in " + seconds + " s of wall time.");
      out.println();
      LoopEvaluation.print(run, out);
      out.flush();
      if (json != null) {
        try {
          LoopEvaluation.writeJson(run, command, seed, json);
        } catch (IOException e) {
          err.println("sentinel: cannot write " + json + ": " + e.getMessage());
          return 2;
        }
      }
      return run.invariantBreaks() == 0 ? 0 : 1;
    }

    /** Sets Sentinel's loggers to WARN; returns their levels before. */
    private static Map<ch.qos.logback.classic.Logger, Level> quiet() {
      Map<ch.qos.logback.classic.Logger, Level> before = new LinkedHashMap<>();
      for (String name :
          new String[] {
            org.slf4j.Logger.ROOT_LOGGER_NAME, "incident", "workflow", "demo", "dev.sentinel"
          }) {
        ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
        before.put(logger, logger.getLevel());
        logger.setLevel(Level.WARN);
      }
      return before;
    }
  }
}
