package dev.sentinel.bench.eval;

import dev.sentinel.detect.Backtest;
import dev.sentinel.detect.DetectionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every CSV under a data folder through {@link Backtest} with the built-in configuration, in
 * one JVM, writing each scored file to the same relative path under an output folder: the same code
 * path and output as {@code sentinel detect --input f --output o} per file (what {@code nab_run.sh}
 * runs), in seconds instead of minutes, for iterating on the detectors. Reads no labels.
 *
 * <p>Usage: {@code NabBatch DATA_DIR OUTPUT_DIR}, then score {@code OUTPUT_DIR} with {@code
 * nab_score.py}.
 */
public final class NabBatch {

  private NabBatch() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: NabBatch DATA_DIR OUTPUT_DIR");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path output = Path.of(args[1]);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    long start = System.nanoTime();
    long rows = 0;
    for (Path file : files) {
      Path target = output.resolve(data.relativize(file));
      Files.createDirectories(target.getParent());
      rows +=
          new Backtest(DetectionConfig.builtIn(), "backtest").run(file, target, done -> {}).rows();
    }
    System.out.printf(
        "%d files, %d rows in %.1f s%n", files.size(), rows, (System.nanoTime() - start) / 1e9);
  }
}
