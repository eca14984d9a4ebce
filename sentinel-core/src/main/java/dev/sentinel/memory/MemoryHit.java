package dev.sentinel.memory;

import java.util.Map;
import java.util.Objects;

/**
 * A document found by a search.
 *
 * @param similarity the cosine similarity of its vector to the query's, in [-1, 1]
 */
public record MemoryHit(
    String id, MemoryKind kind, String text, Map<String, String> payload, double similarity) {

  public MemoryHit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    payload = Map.copyOf(payload);
  }
}
