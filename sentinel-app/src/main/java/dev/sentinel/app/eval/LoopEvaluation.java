package dev.sentinel.app.eval;

import dev.sentinel.app.config.SentinelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code sentinel eval loop}: runs the first {@code trials} trials of the fault matrix for a seed,
 * one after another, each through a loop of its own, and gives back their records. The simulator's
 * executor keeps its state in a file, as in {@code sentinel run}; those files go in a temporary
 * directory that is removed afterwards.
 */
public final class LoopEvaluation {

  /** A finished run: the trials' records and the figures over them. */
  public record Run(List<TrialResult> results, LoopFigures figures) {
    public int invariantBreaks() {
      return figures.invariantBreaks();
    }
  }

  private final SentinelConfig config;
  private final long approvalDelayMillis;
  private final boolean wallClockLimits;

  /**
   * @param approvalDelayMillis how long the stand-in for the on-call engineer leaves a plan waiting
   *     before approving it
   * @param wallClockLimits whether the auto-approval rate limits apply; they count wall time, so
   *     over simulated time they bind far too early (see {@link LoopUnderTest#unlimited})
   */
  public LoopEvaluation(SentinelConfig config, long approvalDelayMillis, boolean wallClockLimits) {
    this.config = config;
    this.approvalDelayMillis = approvalDelayMillis;
    this.wallClockLimits = wallClockLimits;
  }

  /**
   * @param progress told one line per trial as it ends
   */
  public Run run(int trials, long seed, Consumer<String> progress) {
    List<Scenario> scenarios = FaultMatrix.trials(trials, seed);
    Path stateDir;
    try {
      stateDir = Files.createTempDirectory("sentinel-eval-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for the simulator's state", e);
    }
    try {
      List<TrialResult> results = new ArrayList<>();
      for (int i = 0; i < scenarios.size(); i++) {
        TrialResult result =
            new Trial(config, scenarios.get(i), i, approvalDelayMillis, wallClockLimits, stateDir)
                .run();
        results.add(result);
        progress.accept(LoopReport.line(result));
      }
      return new Run(List.copyOf(results), LoopFigures.of(results));
    } finally {
      delete(stateDir);
    }
  }

  public static void print(Run run, java.io.PrintWriter out) {
    LoopReport.print(run.results(), run.figures(), out);
  }

  /** Writes the run as JSON: how it was made, the figures, and every trial's record. */
  public static void writeJson(Run run, String command, long seed, Path file) throws IOException {
    java.util.Map<String, Object> document = new java.util.LinkedHashMap<>();
    document.put("command", command);
    document.put("seed", seed);
    document.put("figures", run.figures().figures());
    document.put("invariantBreaks", run.invariantBreaks());
    document.put("trials", run.results());
    new com.fasterxml.jackson.databind.ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(file.toFile(), document);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is no reason to fail the evaluation.
    }
  }
}
