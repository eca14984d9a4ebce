package dev.sentinel.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes points as the HTTP API's JSON batch, {@code {"points": [{"name", "labels", "timestamp"
 * (epoch ms), "value"}, ...]}}: the record value on the telemetry topic. Thread-safe.
 *
 * <p>JSON has no NaN or infinity, and the decoders refuse them, so non-finite values are left out
 * (detection ignores them anyway); {@link Encoded#skipped()} counts them.
 */
public final class PointJson {

  /** A record value and how many points of the batch it holds and left out. */
  public record Encoded(byte[] json, int points, int skipped) {}

  private final JsonFactory factory = new JsonFactory();

  public Encoded encode(PointBatch batch, SeriesRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + batch.size() * 64);
    int written = 0;
    try (JsonGenerator json = factory.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("points");
      // The registry parses a key from its text on each call: a series' points usually arrive
      // together, so the last key is kept rather than parsed again for every point.
      int lastId = -1;
      SeriesKey key = null;
      for (int i = 0, size = batch.size(); i < size; i++) {
        double value = batch.value(i);
        if (!Double.isFinite(value)) {
          continue;
        }
        int id = batch.seriesId(i);
        if (id != lastId) {
          key = registry.key(id);
          lastId = id;
        }
        json.writeStartObject();
        json.writeStringField("name", key.name());
        if (!key.labels().isEmpty()) {
          json.writeObjectFieldStart("labels");
          for (Map.Entry<String, String> label : key.labels().entrySet()) {
            json.writeStringField(label.getKey(), label.getValue());
          }
          json.writeEndObject();
        }
        json.writeNumberField("timestamp", batch.timestamp(i));
        json.writeNumberField("value", value);
        json.writeEndObject();
        written++;
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return new Encoded(out.toByteArray(), written, batch.size() - written);
  }
}
