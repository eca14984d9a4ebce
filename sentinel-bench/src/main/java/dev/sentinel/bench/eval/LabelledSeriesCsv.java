package dev.sentinel.bench.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Writes a labelled series as CSV: {@code timestamp,value,label} with ISO-8601 UTC timestamps. */
final class LabelledSeriesCsv {

  private LabelledSeriesCsv() {}

  static void write(LabelledSeries series, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("timestamp,value,label\n");
      for (int i = 0; i < series.size(); i++) {
        out.write(Instant.ofEpochMilli(series.timestamps()[i]).toString());
        out.write(',');
        out.write(Double.toString(series.values()[i]));
        out.write(',');
        out.write(series.labelled(i) ? '1' : '0');
        out.write('\n');
      }
    }
  }
}
