package dev.sentinel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DetectCommandTest {

  @TempDir Path dir;

  @Test
  void every_row_is_scored_in_order_and_the_spike_is_flagged() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    long start = 1_700_000_000L;
    for (int i = 0; i < 400; i++) {
      double value = 100 + Math.sin(i * 0.7) * 2 + (i == 300 ? 80 : 0);
      csv.append(start + i * 60L)
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", value))
          .append('\n');
    }
    Path input = dir.resolve("in.csv");
    Path output = dir.resolve("out.csv");
    Files.writeString(input, csv);

    int exit =
        new CommandLine(new SentinelCommand())
            .execute("detect", "--input", input.toString(), "--output", output.toString());

    assertThat(exit).isZero();
    List<String> rows = Files.readAllLines(output);
    assertThat(rows.getFirst()).isEqualTo("timestamp,value,anomaly_score,is_anomaly");
    assertThat(rows).hasSize(401);
    assertThat(rows.get(1)).startsWith(Long.toString(start) + ",");
    assertThat(rows.get(301)).startsWith(Long.toString(start + 300 * 60L)).endsWith(",1");
    assertThat(rows.stream().skip(1).filter(row -> row.endsWith(",1")).count()).isLessThan(10);
  }

  @Test
  void a_bad_row_is_named_by_line() throws Exception {
    Path input = dir.resolve("bad.csv");
    Files.writeString(input, "timestamp,value\n1700000000,1\nyesterday,2\n");
    int exit =
        new CommandLine(new SentinelCommand())
            .execute(
                "detect", "--input", input.toString(), "--output", dir.resolve("o.csv").toString());
    assertThat(exit).isEqualTo(2);
  }

  @Test
  void the_step_of_counted_rows_is_a_duration_and_a_bad_one_is_refused() throws Exception {
    assertThat(DetectCommand.stepMillis("5m")).isEqualTo(300_000);
    assertThat(DetectCommand.stepMillis("1h")).isEqualTo(3_600_000);
    assertThat(DetectCommand.stepMillis("250ms")).isEqualTo(250);
    assertThat(DetectCommand.stepMillis("2d")).isEqualTo(172_800_000);
    Path input = dir.resolve("counted.csv");
    Files.writeString(input, "timestamp,value\n1,1\n2,2\n");
    int exit =
        new CommandLine(new SentinelCommand())
            .execute(
                "detect",
                "--input",
                input.toString(),
                "--output",
                dir.resolve("o.csv").toString(),
                "--step",
                "5 minutes");
    assertThat(exit).isEqualTo(2);
    int fine =
        new CommandLine(new SentinelCommand())
            .execute(
                "detect",
                "--input",
                input.toString(),
                "--output",
                dir.resolve("o.csv").toString(),
                "--step",
                "5m");
    assertThat(fine).isZero();
  }
}
