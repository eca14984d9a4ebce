package dev.sentinel.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP API's JSON schema, decoded with a Jackson tree: a stand-in for the app's streaming
 * JsonPointDecoder, which this module cannot depend on (the app depends on this module). Same
 * documents: {@code {"points": [...]}} or a bare array of {@code {name, labels, timestamp (ms or
 * RFC 3339), value}}; the message of a refusal names the field.
 */
final class JsonTestDecoder implements RecordDecoder {

  private final ObjectMapper mapper = new ObjectMapper();
  private final SeriesRegistry registry;

  JsonTestDecoder(SeriesRegistry registry) {
    this.registry = registry;
  }

  @Override
  public PointBatch decode(byte[] value) throws Exception {
    JsonNode root = mapper.readTree(value);
    String path = "";
    if (root != null && root.isObject()) {
      root = root.get("points");
      path = "points";
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new IllegalArgumentException(
          "body must be {\"points\": [...]} or a non-empty array of points");
    }
    PointBatch batch = new PointBatch(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode point = root.get(i);
      String at = path + "[" + i + "]";
      JsonNode name = point.get("name");
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        throw new IllegalArgumentException(at + ".name: name is required");
      }
      Map<String, String> labels = new TreeMap<>();
      JsonNode labelNode = point.get("labels");
      if (labelNode != null && labelNode.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = labelNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> label = it.next();
          labels.put(label.getKey(), label.getValue().asText());
        }
      }
      JsonNode value1 = point.get("value");
      if (value1 == null || !value1.isNumber()) {
        throw new IllegalArgumentException(at + ".value: value must be a finite number");
      }
      JsonNode timestamp = point.get("timestamp");
      long millis =
          timestamp == null
              ? System.currentTimeMillis()
              : timestamp.isNumber()
                  ? timestamp.asLong()
                  : OffsetDateTime.parse(timestamp.asText()).toInstant().toEpochMilli();
      batch.add(registry.intern(SeriesKey.of(name.asText(), labels)), millis, value1.asDouble());
    }
    return batch;
  }
}
