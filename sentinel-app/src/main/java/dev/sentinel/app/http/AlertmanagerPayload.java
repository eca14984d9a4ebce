package dev.sentinel.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.ingest.StrictJson;
import dev.sentinel.incident.Alert;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Alertmanager's webhook body (version 4): {@code {version, status, receiver, groupLabels,
 * commonLabels, ..., alerts: [{status, labels, annotations, startsAt, endsAt, generatorURL,
 * fingerprint}]}}. Only {@code alerts} is acted on; the group fields repeat what the alerts carry.
 * Anything malformed is refused whole with a {@link BadRequestException} naming the field, so
 * Alertmanager logs the reason (it does not retry a 4xx).
 */
final class AlertmanagerPayload {

  private static final ObjectMapper JSON = StrictJson.mapper();

  /** Times past this are refused: no alert starts or ends after the year 9999. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Alertmanager's zero time: an alert that still fires has no end. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private AlertmanagerPayload() {}

  static List<Alert> parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new BadRequestException(StrictJson.describe(e));
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the body must be JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequestException("the body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException("the body must be a JSON object (Alertmanager's webhook)");
    }
    JsonNode version = root.get("version");
    if (version == null || !"4".equals(version.asText())) {
      throw new BadRequestException(
          "field 'version' must be \"4\" (Alertmanager's webhook format), was " + version);
    }
    JsonNode alerts = root.get("alerts");
    if (alerts == null || !alerts.isArray()) {
      throw new BadRequestException("field 'alerts' is required and must be an array");
    }
    List<Alert> parsed = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      parsed.add(alert(alerts.get(i), "alerts[" + i + "]"));
    }
    return parsed;
  }

  private static Alert alert(JsonNode node, String field) {
    if (!node.isObject()) {
      throw new BadRequestException("field '" + field + "' must be an object");
    }
    String status = text(node, field, "status", true);
    boolean firing =
        switch (status) {
          case "firing" -> true;
          case "resolved" -> false;
          default ->
              throw new BadRequestException(
                  "field '"
                      + field
                      + ".status' must be 'firing' or 'resolved', was '"
                      + status
                      + "'");
        };
    Map<String, String> labels = strings(node, field, "labels", true);
    if (labels.getOrDefault("alertname", "").isBlank()) {
      throw new BadRequestException("field '" + field + ".labels.alertname' is required");
    }
    Map<String, String> annotations = strings(node, field, "annotations", false);
    String fingerprint = text(node, field, "fingerprint", true);
    if (fingerprint.isBlank()) {
      throw new BadRequestException("field '" + field + ".fingerprint' must not be empty");
    }
    long startsAt = time(node, field, "startsAt", true);
    long endsAt = firing ? 0 : time(node, field, "endsAt", false);
    String generator = text(node, field, "generatorURL", false);
    return new Alert(fingerprint, firing, labels, annotations, startsAt, endsAt, generator);
  }

  private static String text(JsonNode node, String field, String name, boolean required) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw new BadRequestException("field '" + field + "." + name + "' is required");
      }
      return "";
    }
    if (!value.isTextual()) {
      throw new BadRequestException("field '" + field + "." + name + "' must be a string");
    }
    return value.asText();
  }

  private static Map<String, String> strings(
      JsonNode node, String field, String name, boolean required) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw new BadRequestException("field '" + field + "." + name + "' is required");
      }
      return Map.of();
    }
    if (!value.isObject()) {
      throw new BadRequestException(
          "field '" + field + "." + name + "' must be an object of strings");
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (!entry.getValue().isTextual()) {
        throw new BadRequestException(
            "field '" + field + "." + name + "." + entry.getKey() + "' must be a string");
      }
      strings.put(entry.getKey(), entry.getValue().asText());
    }
    return strings;
  }

  /** An RFC 3339 time in epoch milliseconds; Alertmanager's zero time (and absence) is 0. */
  private static long time(JsonNode node, String field, String name, boolean required) {
    String text = text(node, field, name, required);
    if (text.isEmpty() || text.equals(ZERO_TIME)) {
      if (required) {
        throw new BadRequestException("field '" + field + "." + name + "' must be a time");
      }
      return 0;
    }
    try {
      Instant time = Instant.parse(text);
      if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)) {
        throw new BadRequestException(
            "field '"
                + field
                + "."
                + name
                + "' must be a time between 1970 and 9999, was '"
                + abbreviate(text)
                + "'");
      }
      return time.toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "field '"
              + field
              + "."
              + name
              + "' must be an RFC 3339 time, was '"
              + abbreviate(text)
              + "'");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
