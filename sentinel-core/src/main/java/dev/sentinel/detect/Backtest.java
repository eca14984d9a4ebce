package dev.sentinel.detect;

import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Runs one series from a CSV file through a {@link DetectionEngine}, point by point in file order
 * (so no point is judged with knowledge of later ones), and writes every row back with its score.
 *
 * <p>Input: a header naming a {@code timestamp} and a {@code value} column, in any order and among
 * any others (ignored). Timestamps as {@link CsvTimestamps} reads them; they are echoed as written.
 * A file whose first timestamp is a whole number below {@value #SEQUENCE_BELOW} counts its rows
 * instead (1, 2, 3, …, as benchmark sets often do): read as epoch seconds, that would be a series
 * of one-second steps in January 1970, and every time-based rule (the daily profile, the first day,
 * the quiet time that ends an episode) would judge it wrongly. Such numbers are taken as steps of
 * {@code sequenceStepMillis} instead (one hour by default) for the whole file. An empty value is a
 * missing point: written with score 0 and not anomalous. Any other unreadable field stops the run
 * with a {@link BacktestInputException} naming its line.
 *
 * <p>Output: {@code timestamp,value,anomaly_score,is_anomaly}, one row per input row, in input
 * order; {@code is_anomaly} is 1 when the engine reported the point, else 0.
 */
public final class Backtest {

  /** How often the progress callback hears of the rows done. */
  static final int PROGRESS_EVERY = 1_000;

  /** A first timestamp below this whole number (March 1973 in epoch seconds) is a row count. */
  static final long SEQUENCE_BELOW = 100_000_000;

  /** What one step of a counted series is taken to be unless told otherwise. */
  public static final long DEFAULT_SEQUENCE_STEP_MILLIS = 3_600_000;

  private final DetectionConfig config;
  private final String metric;
  private final long sequenceStepMillis;

  /**
   * @param config the detection settings
   * @param metric the metric name the series is judged as, which selects its override
   */
  public Backtest(DetectionConfig config, String metric) {
    this(config, metric, DEFAULT_SEQUENCE_STEP_MILLIS);
  }

  /**
   * @param sequenceStepMillis how far apart rows counted 1, 2, 3, … are taken to be
   */
  public Backtest(DetectionConfig config, String metric, long sequenceStepMillis) {
    this.config = Objects.requireNonNull(config, "config");
    this.metric = Objects.requireNonNull(metric, "metric");
    if (sequenceStepMillis < 1) {
      throw new IllegalArgumentException(
          "the step of a counted series must be at least 1 ms, was " + sequenceStepMillis);
    }
    this.sequenceStepMillis = sequenceStepMillis;
  }

  public BacktestSummary run(Path input, Path output, LongConsumer progress) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedWriter writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      return run(reader, writer, progress);
    }
  }

  /** Reads all of {@code input} and writes the scored rows to {@code output}; closes neither. */
  public BacktestSummary run(Reader input, Writer output, LongConsumer progress)
      throws IOException {
    BufferedReader reader =
        input instanceof BufferedReader buffered ? buffered : new BufferedReader(input);
    String header = reader.readLine();
    if (header == null) {
      throw new BacktestInputException(
          1, "the file is empty; expected a header with timestamp,value");
    }
    List<String> names = split(stripByteOrderMark(header), 1);
    int timestampColumn = column(names, "timestamp");
    int valueColumn = column(names, "value");
    int needed = Math.max(timestampColumn, valueColumn) + 1;

    SeriesRegistry registry = new SeriesRegistry();
    int series = registry.intern(SeriesKey.of(metric));
    DetectionEngine engine = new DetectionEngine(config, registry);
    boolean[] flagged = new boolean[1];
    AnomalySink sink = anomaly -> flagged[0] = true;

    output.write("timestamp,value,anomaly_score,is_anomaly\n");
    long line = 1;
    long rows = 0;
    long missing = 0;
    long anomalies = 0;
    Boolean counted = null;
    long previous = Long.MIN_VALUE;
    long previousLine = 0;
    long repeated = 0;
    long firstRepeatedLine = 0;
    String text;
    while ((text = reader.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      List<String> fields = split(text, line);
      if (fields.size() < needed) {
        throw new BacktestInputException(
            line, "expected at least " + needed + " columns, found " + fields.size());
      }
      String timestampText = fields.get(timestampColumn).strip();
      String valueText = fields.get(valueColumn).strip();
      if (counted == null) {
        counted = isRowCount(timestampText);
      }
      long timestamp = counted ? step(timestampText, line) : timestamp(timestampText, line);
      // Streaming detection sees time move forward, as it does live: a row back in time is an
      // unsorted file. A repeated timestamp is real data (a clock turned back an hour, a doubled
      // sample) and is scored as it comes, and counted.
      if (timestamp < previous) {
        throw new BacktestInputException(
            line,
            "timestamp '"
                + timestampText
                + "' is earlier than the one on line "
                + previousLine
                + "; sort the rows by time");
      }
      if (timestamp == previous) {
        repeated++;
        firstRepeatedLine = firstRepeatedLine == 0 ? line : firstRepeatedLine;
      }
      previous = timestamp;
      previousLine = line;
      double score = 0;
      flagged[0] = false;
      if (valueText.isEmpty()) {
        missing++;
      } else {
        double value = value(valueText, line);
        if (!Double.isFinite(value)) {
          missing++;
        }
        score = engine.observe(series, timestamp, value, sink);
      }
      if (flagged[0]) {
        anomalies++;
      }
      writeRow(output, timestampText, valueText, score, flagged[0]);
      rows++;
      if (rows % PROGRESS_EVERY == 0) {
        progress.accept(rows);
      }
    }
    progress.accept(rows);
    output.flush();
    return new BacktestSummary(
        rows,
        missing,
        anomalies,
        Boolean.TRUE.equals(counted) ? sequenceStepMillis : 0,
        repeated,
        firstRepeatedLine);
  }

  private static void writeRow(
      Writer output, String timestamp, String value, double score, boolean anomalous)
      throws IOException {
    output.write(quoted(timestamp));
    output.write(',');
    output.write(quoted(value));
    output.write(',');
    output.write(String.format(Locale.ROOT, "%.4f", score));
    output.write(anomalous ? ",1\n" : ",0\n");
  }

  private static boolean isRowCount(String text) {
    if (text.isEmpty() || text.length() > 9) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isDigit(text.charAt(i))) {
        return false;
      }
    }
    return Long.parseLong(text) < SEQUENCE_BELOW;
  }

  private long step(String text, long line) {
    try {
      double count = Double.parseDouble(text);
      if (!(count >= 0 && count < SEQUENCE_BELOW)) {
        throw new NumberFormatException();
      }
      return Math.round(count * sequenceStepMillis);
    } catch (NumberFormatException e) {
      throw new BacktestInputException(
          line,
          "timestamp '"
              + text
              + "' is not a row count, and the file began with counted rows (a first timestamp"
              + " below "
              + SEQUENCE_BELOW
              + ")");
    }
  }

  private static long timestamp(String text, long line) {
    try {
      return CsvTimestamps.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BacktestInputException(line, e.getMessage());
    }
  }

  private static double value(String text, long line) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new BacktestInputException(line, "value '" + text + "' is not a number");
    }
  }

  private static int column(List<String> names, String wanted) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).strip().equalsIgnoreCase(wanted)) {
        return i;
      }
    }
    throw new BacktestInputException(
        1, "header has no '" + wanted + "' column; found " + String.join(",", names));
  }

  private static String stripByteOrderMark(String header) {
    return !header.isEmpty() && header.charAt(0) == '\uFEFF' ? header.substring(1) : header;
  }

  /**
   * Splits one CSV line on commas; a field may be quoted with double quotes, inside which a comma
   * is plain text and a doubled quote is one quote.
   */
  static List<String> split(String text, long line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new BacktestInputException(line, "a quoted field is not closed");
    }
    fields.add(field.toString());
    return fields;
  }

  private static String quoted(String field) {
    return field.indexOf(',') < 0 && field.indexOf('"') < 0
        ? field
        : '"' + field.replace("\"", "\"\"") + '"';
  }
}
