package dev.sentinel.app.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Decodes a JSON batch of points straight into a columnar {@link PointBatch}, validating every
 * field on the way. The body is either {@code {"points": [...]}} or a bare array; each point is
 * {@code {"name": str, "labels": {str: str}, "timestamp": ms | RFC 3339, "value": number}}.
 *
 * <p>Hot path: a streaming parser, no tree and no object per point beyond the series' text key
 * (needed to find its id). A batch is all or nothing: any invalid point refuses the whole batch
 * with every error found (the first {@value #MAX_REPORTED} reported), so a sender can fix and
 * resend it without guessing what was kept.
 */
public final class JsonPointDecoder {

  static final int MAX_REPORTED = 50;
  private static final int MAX_LABELS = 64;
  private static final int MAX_NAME_LENGTH = 256;
  private static final int MAX_LABEL_VALUE_LENGTH = 2048;
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:.]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");

  /** Points before 2000-01-01 are refused: almost always seconds sent as milliseconds. */
  private static final long EARLIEST_MILLIS = 946_684_800_000L;

  /** Points more than a day ahead of our clock are refused as a broken sender clock. */
  private static final long MAX_FUTURE_MILLIS = 86_400_000L;

  private final JsonFactory factory = new JsonFactory();
  private final SeriesRegistry registry;
  private final Clock clock;

  public JsonPointDecoder(SeriesRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Reads a whole batch.
   *
   * @throws InvalidPointsException when any point is invalid; nothing is returned then
   */
  public PointBatch decode(InputStream body) throws IOException {
    Decoding decoding = new Decoding(clock.millis());
    try (JsonParser parser = factory.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_ARRAY) {
        decoding.readPoints(parser, "");
      } else if (first == JsonToken.START_OBJECT) {
        readEnvelope(parser, decoding);
      } else {
        decoding.batchError("body must be a JSON object {\"points\": [...]} or an array of points");
      }
    } catch (JsonParseException e) {
      decoding.batchError(
          "malformed JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (decoding.errorCount > 0) {
      throw new InvalidPointsException(decoding.errors, decoding.errorCount);
    }
    return decoding.batch;
  }

  private void readEnvelope(JsonParser parser, Decoding decoding) throws IOException {
    boolean sawPoints = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("points".equals(field) && value == JsonToken.START_ARRAY) {
        sawPoints = true;
        decoding.readPoints(parser, "points");
      } else if ("points".equals(field)) {
        decoding.batchError("'points' must be an array");
        parser.skipChildren();
      } else {
        parser.skipChildren();
      }
    }
    if (!sawPoints) {
      decoding.batchError("body has no 'points' array");
    }
  }

  /** The state of decoding one body; reusable buffers keep the per-point cost down. */
  private final class Decoding {
    final long now;
    final PointBatch batch = new PointBatch(1024);
    final List<PointError> errors = new ArrayList<>();
    final String[] labelNames = new String[MAX_LABELS];
    final String[] labelValues = new String[MAX_LABELS];
    final StringBuilder text = new StringBuilder(128);
    int errorCount;

    Decoding(long now) {
      this.now = now;
    }

    void batchError(String message) {
      error(-1, "", message);
    }

    void error(int index, String field, String message) {
      errorCount++;
      if (errors.size() < MAX_REPORTED) {
        errors.add(new PointError(index, field, message));
      }
    }

    void readPoints(JsonParser parser, String arrayPath) throws IOException {
      int index = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        String path = arrayPath + "[" + index + "]";
        if (token != JsonToken.START_OBJECT) {
          error(index, path, "a point must be a JSON object");
          parser.skipChildren();
        } else {
          readPoint(parser, index, path);
        }
        index++;
      }
      if (index == 0) {
        batchError("the batch holds no points");
      }
    }

    private void readPoint(JsonParser parser, int index, String path) throws IOException {
      String name = null;
      int labelCount = 0;
      long timestamp = Long.MIN_VALUE;
      double value = Double.NaN;
      boolean hasValue = false;
      int errorsBefore = errorCount;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "name" -> name = readName(parser, token, index, path);
          case "labels" -> labelCount = readLabels(parser, token, index, path);
          case "timestamp" -> timestamp = readTimestamp(parser, token, index, path);
          case "value" -> {
            hasValue = true;
            value = readValue(parser, token, index, path);
          }
          default -> parser.skipChildren();
        }
      }
      if (name == null && errorCount == errorsBefore) {
        error(index, path + ".name", "name is required");
      }
      if (!hasValue) {
        error(index, path + ".value", "value is required");
      }
      if (errorCount > errorsBefore) {
        return;
      }
      if (timestamp == Long.MIN_VALUE) {
        timestamp = now;
      }
      batch.add(intern(name, labelCount), timestamp, value);
    }

    private String readName(JsonParser parser, JsonToken token, int index, String path)
        throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        error(index, path + ".name", "name must be a string");
        parser.skipChildren();
        return null;
      }
      String name = parser.getText();
      if (name.length() > MAX_NAME_LENGTH || !METRIC_NAME.matcher(name).matches()) {
        error(
            index,
            path + ".name",
            "name '"
                + abbreviate(name)
                + "' is not a metric name (letters, digits, '_', ':', '.'; not starting with a digit;"
                + " at most "
                + MAX_NAME_LENGTH
                + " characters)");
        return null;
      }
      return name;
    }

    private int readLabels(JsonParser parser, JsonToken token, int index, String path)
        throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return 0;
      }
      if (token != JsonToken.START_OBJECT) {
        error(index, path + ".labels", "labels must be an object of string values");
        parser.skipChildren();
        return 0;
      }
      int count = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String label = parser.currentName();
        JsonToken valueToken = parser.nextToken();
        String field = path + ".labels." + label;
        if (valueToken != JsonToken.VALUE_STRING) {
          error(index, field, "label value must be a string");
          parser.skipChildren();
        } else if (!LABEL_NAME.matcher(label).matches()) {
          error(index, field, "label name '" + abbreviate(label) + "' is not a valid label name");
        } else if (parser.getTextLength() > MAX_LABEL_VALUE_LENGTH) {
          error(index, field, "label value is longer than " + MAX_LABEL_VALUE_LENGTH);
        } else if (count == MAX_LABELS) {
          error(index, path + ".labels", "more than " + MAX_LABELS + " labels");
        } else {
          count = insertSorted(count, label, parser.getText(), index, field);
        }
      }
      return count;
    }

    /** Keeps labels sorted by name as they arrive (few labels: insertion sort wins). */
    private int insertSorted(int count, String label, String value, int index, String field) {
      int at = count;
      while (at > 0 && labelNames[at - 1].compareTo(label) > 0) {
        at--;
      }
      if (at > 0 && labelNames[at - 1].equals(label)) {
        error(index, field, "label is given twice");
        return count;
      }
      System.arraycopy(labelNames, at, labelNames, at + 1, count - at);
      System.arraycopy(labelValues, at, labelValues, at + 1, count - at);
      labelNames[at] = label;
      labelValues[at] = value;
      return count + 1;
    }

    private long readTimestamp(JsonParser parser, JsonToken token, int index, String path)
        throws IOException {
      String field = path + ".timestamp";
      long millis;
      if (token == JsonToken.VALUE_NUMBER_INT) {
        millis = parser.getLongValue();
      } else if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText();
        try {
          millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
          error(
              index,
              field,
              "timestamp '"
                  + abbreviate(text)
                  + "' is not RFC 3339 (e.g. 2026-01-31T12:00:00Z) nor epoch milliseconds");
          return Long.MIN_VALUE;
        }
      } else if (token == JsonToken.VALUE_NULL) {
        return Long.MIN_VALUE;
      } else {
        error(index, field, "timestamp must be integer epoch milliseconds or an RFC 3339 string");
        parser.skipChildren();
        return Long.MIN_VALUE;
      }
      if (millis < EARLIEST_MILLIS) {
        error(
            index,
            field,
            "timestamp "
                + millis
                + " is before 2000-01-01; epoch milliseconds are expected"
                + (millis > 946_684_800L && millis < 10_000_000_000L
                    ? " (this looks like seconds: multiply by 1000)"
                    : ""));
        return Long.MIN_VALUE;
      }
      if (millis > now + MAX_FUTURE_MILLIS) {
        error(index, field, "timestamp " + millis + " is more than a day in the future");
        return Long.MIN_VALUE;
      }
      return millis;
    }

    private double readValue(JsonParser parser, JsonToken token, int index, String path)
        throws IOException {
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          error(index, path + ".value", "value is out of range for a 64-bit float");
        }
        return value;
      }
      error(index, path + ".value", "value must be a finite number");
      parser.skipChildren();
      return Double.NaN;
    }

    private int intern(String name, int labelCount) {
      text.setLength(0);
      text.append(name);
      if (labelCount > 0) {
        text.append('{');
        for (int i = 0; i < labelCount; i++) {
          if (i > 0) {
            text.append(',');
          }
          SeriesKey.appendLabel(text, labelNames[i], labelValues[i]);
        }
        text.append('}');
      }
      String canonical = text.toString();
      int id = registry.find(canonical);
      if (id >= 0) {
        return id;
      }
      TreeMap<String, String> labels = new TreeMap<>();
      for (int i = 0; i < labelCount; i++) {
        labels.put(labelNames[i], labelValues[i]);
      }
      return registry.intern(new SeriesKey(name, labels));
    }

  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
