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

  @Test
  void a_failed_run_leaves_no_output_file_and_an_unsorted_file_is_refused() throws Exception {
    Path input = dir.resolve("unsorted.csv");
    Files.writeString(input, "timestamp,value\n1700000060,1\n1700000000,2\n");
    Path output = dir.resolve("out.csv");
    int exit =
        new CommandLine(new SentinelCommand())
            .execute("detect", "--input", input.toString(), "--output", output.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(output).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(path -> path.getFileName().toString())).containsExactly("unsorted.csv");
    }
  }

  @Test
  void an_output_in_a_missing_directory_is_named_and_nothing_is_written() throws Exception {
    Path input = dir.resolve("in.csv");
    Files.writeString(input, "timestamp,value\n1700000000,1\n");
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    int exit;
    try {
      System.setErr(new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8));
      exit =
          new CommandLine(new SentinelCommand())
              .execute(
                  "detect",
                  "--input",
                  input.toString(),
                  "--output",
                  dir.resolve("no/such/dir/out.csv").toString());
    } finally {
      System.setErr(before);
    }
    assertThat(exit).isEqualTo(1);
    assertThat(errors.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("cannot use")
        .contains("no/such/dir")
        .contains("does not exist");
  }

  @Test
  void a_dash_reads_standard_input_and_writes_standard_output() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int i = 0; i < 50; i++) {
      csv.append(1_700_000_000L + i * 60L).append(',').append(10 + i % 3).append('\n');
    }
    java.io.InputStream stdin = System.in;
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    int exit;
    try {
      System.setIn(
          new java.io.ByteArrayInputStream(
              csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      System.setOut(
          new java.io.PrintStream(written, true, java.nio.charset.StandardCharsets.UTF_8));
      exit = new CommandLine(new SentinelCommand()).execute("detect", "-i", "-", "-o", "-");
    } finally {
      System.setIn(stdin);
      System.setOut(stdout);
    }
    assertThat(exit).isZero();
    List<String> lines = written.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.getFirst()).isEqualTo("timestamp,value,anomaly_score,is_anomaly");
    assertThat(lines).hasSize(51).allMatch(line -> !line.contains("rows scored"));
  }
}
