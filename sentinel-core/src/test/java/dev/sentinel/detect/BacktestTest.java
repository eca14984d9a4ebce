package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

  @TempDir Path folder;

  private final Backtest backtest = new Backtest(DetectionConfig.builtIn(), "backtest");

  private Path csv(String name, List<String> lines) throws IOException {
    return Files.write(folder.resolve(name), lines);
  }

  /** 300 rows a minute apart around 100, with a spike at row 250. */
  private List<String> series(String header, RowFormat format) {
    List<String> lines = new ArrayList<>();
    lines.add(header);
    SplittableRandom random = new SplittableRandom(3);
    long start = 1_704_067_200_000L;
    for (int i = 0; i < 300; i++) {
      double value = i == 250 ? 160 : 100 + random.nextGaussian();
      lines.add(format.row(start + i * 60_000L, String.format(Locale.ROOT, "%.3f", value)));
    }
    return lines;
  }

  private interface RowFormat {
    String row(long millis, String value);
  }

  @Test
  void every_row_is_written_in_order_with_its_score_and_the_spike_is_flagged() throws IOException {
    Path input =
        csv("in.csv", series("timestamp,value", (t, v) -> Instant.ofEpochMilli(t) + "," + v));
    Path output = folder.resolve("out.csv");
    List<Long> progress = new ArrayList<>();

    BacktestSummary summary = backtest.run(input, output, progress::add);

    List<String> lines = Files.readAllLines(output);
    assertThat(lines).hasSize(301);
    assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,is_anomaly");
    assertThat(lines.get(1)).startsWith("2024-01-01T00:00:00Z,").endsWith(",0.0000,0");
    assertThat(lines.get(251)).startsWith("2024-01-01T04:10:00Z,160.000,").endsWith(",1");
    assertThat(summary.rows()).isEqualTo(300);
    assertThat(summary.anomalies()).isEqualTo(lines.stream().filter(l -> l.endsWith(",1")).count());
    assertThat(summary.anomalies()).isBetween(1L, 3L);
    assertThat(progress).last().isEqualTo(300L);
  }

  @Test
  void columns_may_come_in_any_order_among_others() throws IOException {
    Path input =
        csv(
            "in.csv",
            series("host,Value,timestamp,unit", (t, v) -> "h1," + v + "," + t / 1000 + ",ms"));
    Path output = folder.resolve("out.csv");

    BacktestSummary summary = backtest.run(input, output, rows -> {});

    List<String> lines = Files.readAllLines(output);
    assertThat(lines.get(1)).startsWith("1704067200,");
    assertThat(lines.get(251)).endsWith(",1");
    assertThat(summary.rows()).isEqualTo(300);
  }

  @Test
  void epoch_seconds_milliseconds_and_iso_forms_read_as_the_same_instant() {
    long expected = 1_704_067_200_000L;

    assertThat(CsvTimestamps.parse("1704067200")).isEqualTo(expected);
    assertThat(CsvTimestamps.parse("1704067200000")).isEqualTo(expected);
    assertThat(CsvTimestamps.parse("1704067200.5")).isEqualTo(expected + 500);
    assertThat(CsvTimestamps.parse("2024-01-01T00:00:00Z")).isEqualTo(expected);
    assertThat(CsvTimestamps.parse("2024-01-01 00:00:00")).isEqualTo(expected);
    assertThat(CsvTimestamps.parse("2024-01-01T00:00:00")).isEqualTo(expected);
    assertThat(CsvTimestamps.parse("2024-01-01T02:00:00+02:00")).isEqualTo(expected);
    assertThat(CsvTimestamps.parse("2024-01-01")).isEqualTo(expected);
  }

  @Test
  void rows_counted_one_two_three_are_read_as_hourly_steps_not_as_seconds_of_1970()
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 1; i <= 300; i++) {
      // Two equal spikes six rows apart: six seconds would make the second one a continuation of
      // the first's episode (not reported); six hours make it news.
      double value = i == 250 || i == 256 ? 160 : 100 + random.nextGaussian();
      lines.add(i + "," + String.format(Locale.ROOT, "%.3f", value));
    }
    Path output = folder.resolve("out.csv");

    // The threshold decision: its episodes end after a quiet time, which is what the step decides.
    DetectionConfig thresholds =
        new DetectionConfig(MetricDetection.defaults().withDecision(Decision.THRESHOLD), List.of());
    BacktestSummary summary =
        new Backtest(thresholds, "backtest").run(csv("in.csv", lines), output, rows -> {});

    List<String> written = Files.readAllLines(output);
    assertThat(written.get(250)).startsWith("250,160.000,").endsWith(",1");
    assertThat(written.get(256)).startsWith("256,160.000,").endsWith(",1");
    assertThat(summary.sequenceStepMillis()).isEqualTo(3_600_000);

    BacktestSummary asSeconds =
        new Backtest(thresholds, "backtest", 1_000)
            .run(csv("again.csv", lines), folder.resolve("seconds.csv"), rows -> {});
    assertThat(Files.readAllLines(folder.resolve("seconds.csv")).get(256)).endsWith(",0");
    assertThat(asSeconds.sequenceStepMillis()).isEqualTo(1_000);
  }

  @Test
  void a_file_that_counts_rows_and_then_gives_a_time_fails_naming_the_line() throws IOException {
    List<String> lines = new ArrayList<>(List.of("timestamp,value", "1,5", "2,5"));
    lines.add("2024-01-01T00:00:00Z,5");

    assertThatThrownBy(() -> backtest.run(csv("in.csv", lines), folder.resolve("o.csv"), r -> {}))
        .isInstanceOf(BacktestInputException.class)
        .hasMessageContaining("line 4")
        .hasMessageContaining("not a row count");
  }

  @Test
  void an_empty_value_is_written_as_missing_with_score_zero() throws IOException {
    List<String> lines = series("timestamp,value", (t, v) -> t + "," + v);
    lines.set(200, lines.get(200).substring(0, lines.get(200).indexOf(',') + 1));
    Path output = folder.resolve("out.csv");

    BacktestSummary summary = backtest.run(csv("in.csv", lines), output, rows -> {});

    String missing = Files.readAllLines(output).get(200);
    assertThat(missing).endsWith(",,0.0000,0");
    assertThat(summary.missing()).isEqualTo(1);
    assertThat(summary.rows()).isEqualTo(300);
  }

  @Test
  void a_value_that_is_not_a_number_fails_naming_its_line() throws IOException {
    Path input =
        csv(
            "in.csv",
            List.of("timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T00:01:00Z,abc"));

    assertThatThrownBy(() -> backtest.run(input, folder.resolve("out.csv"), rows -> {}))
        .isInstanceOf(BacktestInputException.class)
        .hasMessage("line 3: value 'abc' is not a number")
        .satisfies(e -> assertThat(((BacktestInputException) e).line()).isEqualTo(3));
  }

  @Test
  void a_bad_timestamp_fails_naming_its_line() throws IOException {
    Path input = csv("in.csv", List.of("timestamp,value", "yesterday,1"));

    assertThatThrownBy(() -> backtest.run(input, folder.resolve("out.csv"), rows -> {}))
        .isInstanceOf(BacktestInputException.class)
        .hasMessageStartingWith("line 2: timestamp 'yesterday' is neither ISO-8601");
  }

  @Test
  void a_short_row_fails_naming_its_line() throws IOException {
    Path input = csv("in.csv", List.of("value,host,timestamp", "1,a,1704067200", "2,b"));

    assertThatThrownBy(() -> backtest.run(input, folder.resolve("out.csv"), rows -> {}))
        .hasMessage("line 3: expected at least 3 columns, found 2");
  }

  @Test
  void a_header_without_a_value_column_is_rejected() throws IOException {
    Path input = csv("in.csv", List.of("timestamp,reading", "1704067200,1"));

    assertThatThrownBy(() -> backtest.run(input, folder.resolve("out.csv"), rows -> {}))
        .isInstanceOf(BacktestInputException.class)
        .hasMessage("line 1: header has no 'value' column; found timestamp,reading");
  }

  @Test
  void quoted_fields_are_read_and_echoed_safely() throws IOException {
    Path input =
        csv(
            "in.csv",
            List.of("\"timestamp\",\"value\",note", "\"2024-01-01 00:00:00\",\"1.5\",\"a, b\""));
    Path output = folder.resolve("out.csv");

    backtest.run(input, output, rows -> {});

    assertThat(Files.readAllLines(output).get(1)).isEqualTo("2024-01-01 00:00:00,1.5,0.0000,0");
  }

  @Test
  void a_row_back_in_time_fails_naming_both_lines_and_a_repeated_timestamp_is_counted()
      throws IOException {
    Path unsorted = csv("unsorted.csv", List.of("timestamp,value", "1700000060,1", "1700000000,2"));
    Path repeated = csv("repeated.csv", List.of("timestamp,value", "1,1", "2,2", "2,3"));
    assertThatThrownBy(() -> backtest.run(unsorted, folder.resolve("out.csv"), rows -> {}))
        .isInstanceOf(BacktestInputException.class)
        .hasMessage(
            "line 3: timestamp '1700000000' is earlier than the one on line 2; sort the rows by"
                + " time");
    BacktestSummary summary = backtest.run(repeated, folder.resolve("out.csv"), rows -> {});
    assertThat(summary.rows()).isEqualTo(3);
    assertThat(summary.repeated()).isEqualTo(1);
    assertThat(summary.firstRepeatedLine()).isEqualTo(4);
  }

  @Test
  void an_empty_file_is_rejected() throws IOException {
    Path input = csv("in.csv", List.of());

    assertThatThrownBy(() -> backtest.run(input, folder.resolve("out.csv"), rows -> {}))
        .hasMessageStartingWith("line 1: the file is empty");
  }
}
