package dev.sentinel.memory;

import java.util.Map;
import java.util.Objects;

/**
 * One remembered text and its vector.
 *
 * @param id unique in the memory; upserting the same id again replaces the document
 * @param payload flat string attributes to filter on and show, e.g. {@code service}, {@code
 *     incidentId}, {@code outcome}, {@code operation}
 */
public record MemoryDocument(
    String id, MemoryKind kind, String text, float[] vector, Map<String, String> payload) {

  public MemoryDocument {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a memory document needs an id");
    }
    Vectors.requireUsable(vector);
    vector = vector.clone();
    payload = Map.copyOf(payload);
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }
}
