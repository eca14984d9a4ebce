package dev.sentinel.app.cli;

import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.ConfigLoader;
import dev.sentinel.app.config.ShortDuration;
import dev.sentinel.detect.Backtest;
import dev.sentinel.detect.BacktestInputException;
import dev.sentinel.detect.BacktestSummary;
import dev.sentinel.detect.DetectionConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sentinel detect}: runs the streaming detectors over a CSV of one series, point by point
 * with no look-ahead, and writes every row with its score, to tune detection on history.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description =
        "Backtest the detectors: read timestamp,value rows, write"
            + " timestamp,value,anomaly_score,is_anomaly for every row in input order.")
final class DetectCommand implements Callable<Integer> {

  @Option(
      names = {"-i", "--input"},
      required = true,
      description = "CSV with timestamp,value columns.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "CSV to write.")
  Path output;

  @Option(
      names = {"-c", "--config"},
      description = "YAML configuration whose 'detection' section applies (default: built-in).")
  Path config;

  @Option(
      names = "--metric",
      defaultValue = "backtest",
      description = "Metric name the series is tuned as (for per-metric overrides).")
  String metric;

  @Option(
      names = "--step",
      defaultValue = "1h",
      description =
          "What one row is when the timestamps count rows (1, 2, 3, ...) rather than give times:"
              + " a number with ms, s, m, h or d (default: ${DEFAULT-VALUE}).")
  String step;

  /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 250ms}, {@code 1d} in milliseconds. */
  static long stepMillis(String text) {
    return ShortDuration.parse(text)
        .map(java.time.Duration::toMillis)
        .filter(millis -> millis > 0)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--step '"
                        + text
                        + "' must be a positive whole number with ms, s, m, h or d, e.g. 5m"));
  }

  @Override
  public Integer call() {
    DetectionConfig detection;
    try {
      detection = new ConfigLoader().load(config, System.getenv()).detection();
    } catch (ConfigException e) {
      System.err.println("sentinel: " + e.getMessage());
      return 2;
    }
    if (!Files.isReadable(input)) {
      System.err.println("sentinel: input " + input + " does not exist or is unreadable");
      return 2;
    }
    long stepMillis;
    try {
      stepMillis = stepMillis(step);
    } catch (IllegalArgumentException e) {
      System.err.println("sentinel: " + e.getMessage());
      return 2;
    }
    Progress progress = new Progress(System.err, size(input), System.console() != null);
    try {
      BacktestSummary summary =
          new Backtest(detection, metric, stepMillis).run(input, output, progress);
      progress.done();
      if (summary.sequenceStepMillis() > 0) {
        System.err.println(
            "sentinel: the timestamps count rows; each row was taken as "
                + step
                + " after the one before (--step to change)");
      }
      System.out.printf(
          "%d rows scored (%d missing values), %d anomalous; written to %s%n",
          summary.rows(), summary.missing(), summary.anomalies(), output);
      return 0;
    } catch (BacktestInputException e) {
      progress.done();
      System.err.println("sentinel: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      progress.done();
      System.err.println("sentinel: cannot backtest: " + e.getMessage());
      return 1;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** A progress bar on a terminal, by rows done against an estimate from the file size. */
  private static final class Progress implements LongConsumer {
    private static final int WIDTH = 40;
    private final PrintStream out;
    private final long estimatedRows;
    private final boolean terminal;
    private long lastDrawn = -1;

    Progress(PrintStream out, long bytes, boolean terminal) {
      this.out = out;
      this.estimatedRows = Math.max(1, bytes / 30);
      this.terminal = terminal;
    }

    @Override
    public void accept(long rows) {
      if (!terminal || rows - lastDrawn < 10_000) {
        return;
      }
      lastDrawn = rows;
      int filled = (int) Math.min(WIDTH, WIDTH * rows / estimatedRows);
      out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + rows + " rows");
      out.flush();
    }

    void done() {
      if (terminal && lastDrawn >= 0) {
        out.println();
      }
    }
  }
}
