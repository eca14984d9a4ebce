package dev.sentinel.app.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decodes one sample as prometheus-kafka-adapter (Telefonica's) writes it with its JSON
 * serialization: {@code {"timestamp": "2026-01-31T12:00:00Z", "value": "0.25", "name": "up",
 * "labels": {"__name__": "up", "job": "api"}}}, one sample per record.
 *
 * <ul>
 *   <li>The metric name is {@code labels.__name__}, else {@code name}; when both are given they
 *       must agree.
 *   <li>{@code value} is a string (the adapter formats Go floats: {@code "NaN"}, {@code "+Inf"},
 *       {@code "-Inf"} included) or a JSON number. Non-finite values are skipped and counted, not
 *       refused: the adapter writes Prometheus' staleness markers as plain {@code "NaN"}, so they
 *       are counted with the other non-finite values.
 *   <li>{@code timestamp} is RFC 3339 (the adapter's form) or integer epoch milliseconds; it is
 *       required.
 *   <li>A label with an empty value is no label, as in Prometheus. Other fields are ignored.
 *   <li>With {@code cumulativeAsRate}, counters become rates and classic histograms quantiles, as
 *       on remote write ({@link PrometheusSemantics}). A record holds one sample, so a {@code _sum}
 *       or {@code _count} is read as a histogram's only once one of its buckets has been seen (the
 *       exposition lists buckets first); before, it passes as it is.
 * </ul>
 *
 * <p>A record is all or nothing: any problem refuses it, naming the field. One instance per
 * consumer thread.
 */
public final class PrometheusAdapterDecoder {

  private static final int MAX_LABEL_VALUE_LENGTH = 2048;
  private static final int MAX_NAME_LENGTH = 256;
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** The sample, if it was finite; {@code nonFinite} is 1 when it was skipped. */
  public record Decoded(StagedPoints staged, int nonFinite) {

    /** The points (zero or one), their new series registered (see {@link StagedPoints#commit}). */
    public PointBatch points() {
      return staged.commit();
    }
  }

  private final ObjectMapper json = StrictJson.mapper();
  private final SeriesRegistry registry;
  private final Clock clock;
  private final Optional<PrometheusSemantics> semantics;

  /** A decoder that passes every sample on as it is. */
  public PrometheusAdapterDecoder(SeriesRegistry registry, Clock clock) {
    this(registry, clock, false, 1);
  }

  /**
   * @param cumulativeAsRate whether counters become rates and histograms quantiles
   * @param maxSeries how many counters, histograms and metric families to remember for that
   */
  public PrometheusAdapterDecoder(
      SeriesRegistry registry, Clock clock, boolean cumulativeAsRate, int maxSeries) {
    this.registry = registry;
    this.clock = clock;
    this.semantics =
        cumulativeAsRate ? Optional.of(new PrometheusSemantics(maxSeries)) : Optional.empty();
  }

  /**
   * Decodes one record's value.
   *
   * @throws InvalidPointsException when the record is not a valid sample; nothing is registered
   */
  public Decoded decode(byte[] value) {
    JsonNode sample = parse(value);
    if (!sample.isObject()) {
      throw InvalidPointsException.of("body", "a sample must be a JSON object");
    }
    JsonNode labels = sample.path("labels");
    if (!labels.isMissingNode() && !labels.isNull() && !labels.isObject()) {
      throw InvalidPointsException.of("labels", "labels must be an object of string values");
    }
    String name = name(sample, labels);
    double number = value(sample.get("value"));
    long millis = timestamp(sample.get("timestamp"));

    PendingSeries pending = new PendingSeries(registry);
    PointBatch batch = new PointBatch(1);
    if (!Double.isFinite(number)) {
      return new Decoded(new StagedPoints(batch, pending), 1);
    }
    SeriesInterner series = new SeriesInterner(pending);
    series.reset();
    series.name(name);
    if (labels.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        String labelName = label.getKey();
        if (labelName.equals("__name__")) {
          continue;
        }
        String field = "labels." + labelName;
        if (!label.getValue().isTextual()) {
          throw InvalidPointsException.of(field, "label value must be a string");
        }
        String text = label.getValue().textValue();
        if (text.isEmpty()) {
          continue;
        }
        if (!JsonPointDecoder.isLabelName(labelName)) {
          throw InvalidPointsException.of(
              field,
              "label name '" + RemoteWriteDecoder.abbreviate(labelName) + "' is not a label name");
        }
        if (text.length() > MAX_LABEL_VALUE_LENGTH) {
          throw InvalidPointsException.of(
              field, "label value is longer than " + MAX_LABEL_VALUE_LENGTH);
        }
        String problem = series.putLabel(labelName, text);
        if (problem != null) {
          throw InvalidPointsException.of(field, problem);
        }
      }
    }
    if (semantics.isEmpty()) {
      batch.add(series.intern(), millis, number);
      return new Decoded(new StagedPoints(batch, pending), 0);
    }
    PrometheusSemantics.Request request = semantics.get().request(series, pending, batch);
    String problem = request.add(new long[] {millis}, new double[] {number}, 1);
    if (problem != null) {
      throw InvalidPointsException.of("labels.le", problem);
    }
    request.finish();
    return new Decoded(new StagedPoints(batch, pending), 0);
  }

  private JsonNode parse(byte[] value) {
    try {
      JsonNode node = json.readTree(value);
      if (node == null || node.isMissingNode()) {
        throw InvalidPointsException.of("body", "the record is empty, not a JSON sample");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw InvalidPointsException.of("body", StrictJson.describe(e));
    } catch (JsonProcessingException e) {
      throw InvalidPointsException.of("body", StrictJson.malformed(e));
    } catch (IOException e) {
      throw InvalidPointsException.of("body", "unreadable JSON: " + e.getMessage());
    }
  }

  private static String name(JsonNode sample, JsonNode labels) {
    JsonNode labelled = labels.path("__name__");
    JsonNode top = sample.path("name");
    if (!labelled.isMissingNode() && !labelled.isTextual()) {
      throw InvalidPointsException.of("labels.__name__", "__name__ must be a string");
    }
    if (!top.isMissingNode() && !top.isNull() && !top.isTextual()) {
      throw InvalidPointsException.of("name", "name must be a string");
    }
    String name = labelled.isTextual() ? labelled.textValue() : top.textValue();
    if (name == null || name.isEmpty()) {
      throw InvalidPointsException.of("name", "name is required (or labels.__name__)");
    }
    if (labelled.isTextual() && top.isTextual() && !top.textValue().equals(name)) {
      throw InvalidPointsException.of(
          "name",
          "name '"
              + RemoteWriteDecoder.abbreviate(top.textValue())
              + "' differs from labels.__name__ '"
              + RemoteWriteDecoder.abbreviate(name)
              + "'");
    }
    if (name.length() > MAX_NAME_LENGTH
        || !JsonPointDecoder.isMetricName(name.toCharArray(), 0, name.length())) {
      throw InvalidPointsException.of(
          "name",
          "name '"
              + RemoteWriteDecoder.abbreviate(name)
              + "' is not a metric name (letters, digits, '_', ':', '.'; not starting with a"
              + " digit; at most "
              + MAX_NAME_LENGTH
              + " characters)");
    }
    return name;
  }

  /** The sample's value; NaN or an infinity for the non-finite values the adapter writes. */
  private static double value(JsonNode value) {
    if (value == null || value.isNull()) {
      throw InvalidPointsException.of("value", "value is required");
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (!value.isTextual()) {
      throw InvalidPointsException.of("value", "value must be a number as a string, e.g. \"0.5\"");
    }
    String text = value.textValue();
    switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        if (text.length() > StrictJson.MAX_NUMBER_LENGTH || !DECIMAL.matcher(text).matches()) {
          throw InvalidPointsException.of(
              "value",
              "value '"
                  + RemoteWriteDecoder.abbreviate(text)
                  + "' is not a number (e.g. \"0.5\", \"1e3\", \"NaN\", \"+Inf\")");
        }
        return Double.parseDouble(text);
      }
    }
  }

  private long timestamp(JsonNode timestamp) {
    long millis;
    if (timestamp == null || timestamp.isNull()) {
      throw InvalidPointsException.of("timestamp", "timestamp is required");
    } else if (timestamp.isIntegralNumber() && timestamp.canConvertToLong()) {
      millis = timestamp.longValue();
    } else if (timestamp.isTextual()) {
      String text = timestamp.textValue();
      try {
        millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw InvalidPointsException.of(
            "timestamp",
            "timestamp '"
                + RemoteWriteDecoder.abbreviate(text)
                + "' is not RFC 3339 (e.g. 2026-01-31T12:00:00Z)");
      }
    } else {
      throw InvalidPointsException.of(
          "timestamp", "timestamp must be an RFC 3339 string or integer epoch milliseconds");
    }
    String problem = TimeBounds.check(millis, clock.millis());
    if (problem != null) {
      throw InvalidPointsException.of("timestamp", problem);
    }
    return millis;
  }
}
