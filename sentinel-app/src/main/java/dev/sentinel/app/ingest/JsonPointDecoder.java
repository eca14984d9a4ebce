package dev.sentinel.app.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
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

  private final JsonFactory factory = StrictJson.factory();
  private final SeriesRegistry registry;
  private final Clock clock;

  public JsonPointDecoder(SeriesRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Reads a whole batch and registers the series seen for the first time, all of it valid.
   *
   * @throws InvalidPointsException when any point is invalid; nothing is registered then
   */
  public PointBatch decode(InputStream body) throws IOException {
    return stage(body).commit();
  }

  /**
   * Reads a whole batch. Series seen for the first time are registered only when the batch is valid
   * and published (see {@link StagedPoints}).
   *
   * @throws InvalidPointsException when any point is invalid; nothing is returned then
   */
  public StagedPoints stage(InputStream body) throws IOException {
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
      if (decoding.errorCount == 0 && parser.nextToken() != null) {
        decoding.batchError(
            "trailing data after the JSON document at line "
                + parser.currentLocation().getLineNr()
                + ", column "
                + parser.currentLocation().getColumnNr()
                + ": send exactly one document");
      }
    } catch (StreamConstraintsException e) {
      decoding.batchError(StrictJson.describe(e));
    } catch (java.io.CharConversionException e) {
      // Jackson guesses UTF-16/32 from the first bytes and fails on a broken guess.
      decoding.batchError("the body is not UTF-8 JSON: " + e.getMessage());
    } catch (StreamReadException e) {
      decoding.batchError(StrictJson.malformed(e));
    }
    if (decoding.errorCount > 0) {
      throw new InvalidPointsException(decoding.errors, decoding.errorCount);
    }
    return new StagedPoints(decoding.batch, decoding.series);
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
    final PendingSeries series = new PendingSeries(registry);
    final List<PointError> errors = new ArrayList<>();
    // Labels of the current point, sorted by name as they arrive; values are kept as ranges of
    // one char buffer, so a point whose series is known allocates no string at all.
    final String[] labelNames = new String[MAX_LABELS];
    final int[] valueStart = new int[MAX_LABELS];
    final int[] valueLength = new int[MAX_LABELS];
    char[] values = new char[1024];
    int valuesUsed;
    char[] key = new char[256];
    int keyLength;
    String arrayPath = "";
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
      this.arrayPath = arrayPath;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.START_OBJECT) {
          error(index, path(index), "a point must be a JSON object");
          parser.skipChildren();
        } else {
          readPoint(parser, index);
        }
        index++;
      }
      if (index == 0) {
        batchError("the batch holds no points");
      }
    }

    /** The JSON path of a point, built only when an error needs it. */
    private String path(int index) {
      return arrayPath + "[" + index + "]";
    }

    private void readPoint(JsonParser parser, int index) throws IOException {
      boolean named = false;
      int nameLength = 0;
      int labelCount = 0;
      valuesUsed = 0;
      keyLength = 0;
      long timestamp = Long.MIN_VALUE;
      double value = Double.NaN;
      boolean hasValue = false;
      int errorsBefore = errorCount;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "name" -> {
            nameLength = readName(parser, token, index);
            named = nameLength > 0;
          }
          case "labels" -> labelCount = readLabels(parser, token, index);
          case "timestamp" -> timestamp = readTimestamp(parser, token, index);
          case "value" -> {
            hasValue = true;
            value = readValue(parser, token, index);
          }
          default -> parser.skipChildren();
        }
      }
      if (!named && errorCount == errorsBefore) {
        error(index, path(index) + ".name", "name is required");
      }
      if (!hasValue) {
        error(index, path(index) + ".value", "value is required");
      }
      if (errorCount > errorsBefore) {
        return;
      }
      if (timestamp == Long.MIN_VALUE) {
        timestamp = now;
      }
      batch.add(intern(nameLength, labelCount), timestamp, value);
    }

    /** Copies a valid metric name to the front of the key buffer; returns its length, or 0. */
    private int readName(JsonParser parser, JsonToken token, int index) throws IOException {
      String path = arrayPath + "[" + index + "]";
      if (token != JsonToken.VALUE_STRING) {
        error(index, path + ".name", "name must be a string");
        parser.skipChildren();
        return 0;
      }
      char[] chars = parser.getTextCharacters();
      int offset = parser.getTextOffset();
      int length = parser.getTextLength();
      if (length == 0 || length > MAX_NAME_LENGTH || !isMetricName(chars, offset, length)) {
        error(
            index,
            path + ".name",
            "name '"
                + abbreviate(new String(chars, offset, length))
                + "' is not a metric name (letters, digits, '_', ':', '.'; not starting with a digit;"
                + " at most "
                + MAX_NAME_LENGTH
                + " characters)");
        return 0;
      }
      ensureKey(length);
      System.arraycopy(chars, offset, key, 0, length);
      return length;
    }

    private int readLabels(JsonParser parser, JsonToken token, int index) throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return 0;
      }
      if (token != JsonToken.START_OBJECT) {
        error(index, path(index) + ".labels", "labels must be an object of string values");
        parser.skipChildren();
        return 0;
      }
      int count = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String label = parser.currentName();
        JsonToken valueToken = parser.nextToken();
        if (valueToken != JsonToken.VALUE_STRING) {
          error(index, field(index, label), "label value must be a string");
          parser.skipChildren();
        } else if (!isLabelName(label)) {
          error(
              index,
              field(index, label),
              "label name '" + abbreviate(label) + "' is not a valid label name");
        } else if (parser.getTextLength() > MAX_LABEL_VALUE_LENGTH) {
          error(index, field(index, label), "label value is longer than " + MAX_LABEL_VALUE_LENGTH);
        } else if (count == MAX_LABELS) {
          error(index, path(index) + ".labels", "more than " + MAX_LABELS + " labels");
        } else {
          count = insertSorted(count, label, parser, index);
        }
      }
      return count;
    }

    /** Keeps labels sorted by name as they arrive (few labels: insertion sort wins). */
    private String field(int index, String label) {
      return path(index) + ".labels." + label;
    }

    private int insertSorted(int count, String label, JsonParser parser, int index)
        throws IOException {
      int at = count;
      while (at > 0 && labelNames[at - 1].compareTo(label) > 0) {
        at--;
      }
      if (at > 0 && labelNames[at - 1].equals(label)) {
        error(index, field(index, label), "label is given twice");
        return count;
      }
      int length = parser.getTextLength();
      if (valuesUsed + length > values.length) {
        values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, valuesUsed + length));
      }
      System.arraycopy(
          parser.getTextCharacters(), parser.getTextOffset(), values, valuesUsed, length);
      System.arraycopy(labelNames, at, labelNames, at + 1, count - at);
      System.arraycopy(valueStart, at, valueStart, at + 1, count - at);
      System.arraycopy(valueLength, at, valueLength, at + 1, count - at);
      labelNames[at] = label;
      valueStart[at] = valuesUsed;
      valueLength[at] = length;
      valuesUsed += length;
      return count + 1;
    }

    private long readTimestamp(JsonParser parser, JsonToken token, int index) throws IOException {
      long millis;
      if (token == JsonToken.VALUE_NUMBER_INT) {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          error(
              index,
              path(index) + ".timestamp",
              "timestamp " + abbreviate(parser.getText()) + " does not fit epoch milliseconds");
          return Long.MIN_VALUE;
        }
        millis = parser.getLongValue();
      } else if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText();
        try {
          millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (ArithmeticException e) {
          error(
              index,
              path(index) + ".timestamp",
              "timestamp '" + abbreviate(text) + "' is out of range for epoch milliseconds");
          return Long.MIN_VALUE;
        } catch (DateTimeParseException e) {
          error(
              index,
              path(index) + ".timestamp",
              "timestamp '"
                  + abbreviate(text)
                  + "' is not RFC 3339 (e.g. 2026-01-31T12:00:00Z) nor epoch milliseconds");
          return Long.MIN_VALUE;
        }
      } else if (token == JsonToken.VALUE_NULL) {
        return Long.MIN_VALUE;
      } else {
        error(
            index,
            path(index) + ".timestamp",
            "timestamp must be integer epoch milliseconds or an RFC 3339 string");
        parser.skipChildren();
        return Long.MIN_VALUE;
      }
      String problem = TimeBounds.check(millis, now);
      if (problem != null) {
        error(index, path(index) + ".timestamp", problem);
        return Long.MIN_VALUE;
      }
      return millis;
    }

    private double readValue(JsonParser parser, JsonToken token, int index) throws IOException {
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          error(index, path(index) + ".value", "value is out of range for a 64-bit float");
        }
        return value;
      }
      error(index, path(index) + ".value", "value must be a finite number");
      parser.skipChildren();
      return Double.NaN;
    }

    /**
     * Finds the series id from the canonical text built in the key buffer (the same text as {@link
     * SeriesKey#text()}); only a series seen for the first time builds strings.
     */
    private int intern(int nameLength, int labelCount) {
      keyLength = nameLength;
      if (labelCount > 0) {
        append('{');
        for (int i = 0; i < labelCount; i++) {
          if (i > 0) {
            append(',');
          }
          String label = labelNames[i];
          for (int c = 0; c < label.length(); c++) {
            append(label.charAt(c));
          }
          append('=');
          append('"');
          int end = valueStart[i] + valueLength[i];
          for (int c = valueStart[i]; c < end; c++) {
            char ch = values[c];
            switch (ch) {
              case '"', '\\' -> {
                append('\\');
                append(ch);
              }
              case '\n' -> {
                append('\\');
                append('n');
              }
              default -> append(ch);
            }
          }
          append('"');
        }
        append('}');
      }
      int id = series.find(key, keyLength);
      if (id != -1) {
        return id;
      }
      TreeMap<String, String> labels = new TreeMap<>();
      for (int i = 0; i < labelCount; i++) {
        labels.put(labelNames[i], new String(values, valueStart[i], valueLength[i]));
      }
      return series.add(new SeriesKey(new String(key, 0, nameLength), labels));
    }

    private void append(char c) {
      if (keyLength == key.length) {
        key = java.util.Arrays.copyOf(key, key.length * 2);
      }
      key[keyLength++] = c;
    }

    private void ensureKey(int length) {
      if (key.length < length) {
        key = new char[Math.max(length, key.length * 2)];
      }
    }
  }

  /** {@code [a-zA-Z_:][a-zA-Z0-9_:.]*}, checked by hand: a regex per point costs too much. */
  static boolean isMetricName(char[] chars, int offset, int length) {
    for (int i = 0; i < length; i++) {
      char c = chars[offset + i];
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
      boolean more = (c >= '0' && c <= '9') || c == '.';
      if (!(letter || (i > 0 && more))) {
        return false;
      }
    }
    return true;
  }

  /** {@code [a-zA-Z_][a-zA-Z0-9_.]*}. */
  static boolean isLabelName(String label) {
    if (label.isEmpty()) {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean more = (c >= '0' && c <= '9') || c == '.';
      if (!(letter || (i > 0 && more))) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
