package dev.sentinel.memory;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A nearest-neighbour search.
 *
 * @param limit the most hits to return (k)
 * @param kinds only documents of these kinds; empty means every kind
 * @param filters only documents whose payload has each of these exact values
 */
public record MemoryQuery(
    float[] vector, int limit, Set<MemoryKind> kinds, Map<String, String> filters) {

  public MemoryQuery {
    Vectors.requireUsable(vector);
    vector = vector.clone();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    filters = Map.copyOf(filters);
  }

  /** The {@code limit} nearest documents of one kind. */
  public static MemoryQuery of(float[] vector, int limit, MemoryKind kind) {
    return new MemoryQuery(vector, limit, Set.of(kind), Map.of());
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }

  /** Whether a document passes the kind and payload filters (for adapters that filter in Java). */
  public boolean admits(MemoryKind kind, Map<String, String> payload) {
    if (!kinds.isEmpty() && !kinds.contains(kind)) {
      return false;
    }
    for (Map.Entry<String, String> filter : filters.entrySet()) {
      if (!filter.getValue().equals(payload.get(filter.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
