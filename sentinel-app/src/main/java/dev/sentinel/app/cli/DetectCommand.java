package dev.sentinel.app.cli;

import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.ConfigLoader;
import dev.sentinel.app.config.ShortDuration;
import dev.sentinel.detect.Backtest;
import dev.sentinel.detect.BacktestInputException;
import dev.sentinel.detect.BacktestSummary;
import dev.sentinel.detect.DetectionConfig;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
      description = "CSV with timestamp,value columns; - reads standard input.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description =
          "CSV to write; - writes standard output. A file is written whole or not at all: a"
              + " failed run leaves no file behind.")
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
    boolean fromStdin = input.toString().equals("-");
    boolean toStdout = output.toString().equals("-");
    if (!fromStdin && !Files.isReadable(input)) {
      System.err.println(
          "sentinel: cannot read "
              + input
              + ": "
              + (Files.exists(input) ? "permission denied" : "no such file"));
      return 2;
    }
    long stepMillis;
    try {
      stepMillis = stepMillis(step);
    } catch (IllegalArgumentException e) {
      System.err.println("sentinel: " + e.getMessage());
      return 2;
    }
    Path temporary = null;
    try (CountingInput counted =
        new CountingInput(fromStdin ? System.in : Files.newInputStream(input))) {
      Progress progress =
          new Progress(
              System.err, fromStdin ? 0 : Files.size(input), counted, System.console() != null);
      Reader reader = new InputStreamReader(counted, StandardCharsets.UTF_8);
      BacktestSummary summary;
      if (toStdout) {
        Writer writer =
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        summary = backtest(detection, stepMillis, reader, writer, progress);
      } else {
        temporary = temporaryBeside(output);
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
          summary = backtest(detection, stepMillis, reader, writer, progress);
        }
        Files.move(
            temporary, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        temporary = null;
      }
      report(summary, toStdout);
      return 0;
    } catch (BacktestInputException e) {
      System.err.println("sentinel: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("sentinel: " + FileProblems.describe(e));
      return 1;
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          System.err.println("sentinel: could not remove " + temporary + ": " + e.getMessage());
        }
      }
    }
  }

  private BacktestSummary backtest(
      DetectionConfig detection, long stepMillis, Reader reader, Writer writer, Progress progress)
      throws IOException {
    try {
      return new Backtest(detection, metric, stepMillis).run(reader, writer, progress);
    } finally {
      progress.done();
    }
  }

  /** The summary goes to standard error when standard output carries the rows. */
  private void report(BacktestSummary summary, boolean toStdout) {
    if (summary.sequenceStepMillis() > 0) {
      System.err.println(
          "sentinel: the timestamps count rows; each row was taken as "
              + step
              + " after the one before (--step to change)");
    }
    if (summary.repeated() > 0) {
      System.err.println(
          "sentinel: "
              + summary.repeated()
              + " row(s) repeat the timestamp of the row before (the first on line "
              + summary.firstRepeatedLine()
              + "); each was scored as it came");
    }
    (toStdout ? System.err : System.out)
        .printf(
            "%d rows scored (%d missing values), %d anomalous; written to %s%n",
            summary.rows(),
            summary.missing(),
            summary.anomalies(),
            toStdout ? "standard output" : output);
  }

  /**
   * A file next to {@code output}, so the final rename stays on one file system; its directory must
   * exist.
   */
  private static Path temporaryBeside(Path output) throws IOException {
    Path directory = output.toAbsolutePath().getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new NoSuchFileException(
          String.valueOf(directory), null, "the output's directory does not exist");
    }
    return Files.createTempFile(directory, "." + output.getFileName() + ".", ".part");
  }

  /** An input stream that counts the bytes read from it, for the progress bar. */
  private static final class CountingInput extends FilterInputStream {
    private volatile long read;

    CountingInput(InputStream in) {
      super(new BufferedInputStream(in, 1 << 16));
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        read++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        read += n;
      }
      return n;
    }

    long bytesRead() {
      return read;
    }
  }

  /**
   * A progress bar on a terminal, by bytes read against the file's size (the reader reads ahead of
   * the rows by at most its buffer); standard input has no size, so only rows are shown.
   */
  private static final class Progress implements LongConsumer {
    private static final int WIDTH = 40;
    private final PrintStream out;
    private final long bytes;
    private final CountingInput input;
    private final boolean terminal;
    private long lastDrawn = -1;

    Progress(PrintStream out, long bytes, CountingInput input, boolean terminal) {
      this.out = out;
      this.bytes = bytes;
      this.input = input;
      this.terminal = terminal;
    }

    @Override
    public void accept(long rows) {
      if (!terminal || rows - lastDrawn < 10_000) {
        return;
      }
      lastDrawn = rows;
      if (bytes <= 0) {
        out.print("\r" + rows + " rows");
      } else {
        int filled = (int) Math.min(WIDTH, WIDTH * input.bytesRead() / bytes);
        out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + rows + " rows");
      }
      out.flush();
    }

    void done() {
      if (terminal && lastDrawn >= 0) {
        out.println();
      }
    }
  }
}
