package dev.sentinel.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TimeRange;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an append has stored survives a crash: a second JVM appends, reports, and halts without
 * closing the store, so DuckDB never checkpoints and the points live only in its write-ahead log
 * until the next open replays it.
 */
class DuckDbCrashTest {

  static final long MONDAY = 1_772_409_600_000L;
  static final int BATCHES = 3;
  static final int POINTS = 20_000;
  static final List<SeriesKey> SERIES =
      List.of(SeriesKey.of("cpu", Map.of("host", "a")), SeriesKey.of("cpu", Map.of("host", "b")));

  @TempDir Path directory;

  @Test
  void points_whose_append_returned_survive_a_crash_before_any_checkpoint() throws Exception {
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                directory.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(writer.waitFor(60, TimeUnit.SECONDS)).as("the writer ended").isTrue();
    String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).contains("appended " + BATCHES * POINTS);
    assertThat(writer.exitValue()).isEqualTo(CrashingWriter.HALTED);
    Path wal = directory.resolve(DuckDbTelemetryStore.FILE_NAME + ".wal");
    assertThat(Files.size(wal)).as("the points are in the WAL, not checkpointed").isPositive();

    try (TelemetryStore store = DuckDbTelemetryStore.open(directory)) {
      assertThat(store.series()).containsExactlyInAnyOrderElementsOf(SERIES);
      TimeRange all = TimeRange.of(MONDAY, MONDAY + 10L * BATCHES * POINTS * 1_000);
      long stored = 0;
      for (SeriesKey series : SERIES) {
        stored += store.percentiles(series, all).orElseThrow().count();
      }
      assertThat(stored).isEqualTo(BATCHES * POINTS);
    }
  }

  /** Appends {@link #BATCHES} batches, prints how many points, and halts without closing. */
  static final class CrashingWriter {
    static final int HALTED = 3;

    public static void main(String[] args) throws IOException {
      SeriesRegistry registry = new SeriesRegistry();
      int[] ids = SERIES.stream().mapToInt(registry::intern).toArray();
      TelemetryStore store = DuckDbTelemetryStore.open(Path.of(args[0]));
      for (int b = 0; b < BATCHES; b++) {
        PointBatch batch = new PointBatch(POINTS);
        for (int i = 0; i < POINTS; i++) {
          long n = (long) b * POINTS + i;
          batch.add(ids[(int) (n % ids.length)], MONDAY + n * 1_000, Math.sin(n));
        }
        store.append(batch, registry);
      }
      System.out.println("appended " + BATCHES * POINTS);
      System.out.flush();
      Runtime.getRuntime().halt(HALTED);
    }
  }
}
