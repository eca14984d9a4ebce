package dev.sentinel.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A memory that keeps its documents in a map and compares the query with every one of them: exact,
 * and fast enough for tests and a few thousand documents. Not durable.
 */
public final class InMemoryIncidentMemory implements IncidentMemory {

  private final int dimensions;
  private final ConcurrentHashMap<String, MemoryDocument> documents = new ConcurrentHashMap<>();

  public InMemoryIncidentMemory(int dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions);
    }
    this.dimensions = dimensions;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public void upsert(MemoryDocument document) {
    Vectors.requireDimensions(document.vector(), dimensions);
    documents.put(document.id(), document);
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    float[] vector = query.vector();
    Vectors.requireDimensions(vector, dimensions);
    List<MemoryHit> hits = new ArrayList<>();
    for (MemoryDocument document : documents.values()) {
      if (query.admits(document.kind(), document.payload())) {
        hits.add(
            new MemoryHit(
                document.id(),
                document.kind(),
                document.text(),
                document.payload(),
                Vectors.cosine(vector, document.vector())));
      }
    }
    hits.sort(Comparator.comparingDouble(MemoryHit::similarity).reversed());
    return List.copyOf(hits.subList(0, Math.min(query.limit(), hits.size())));
  }

  @Override
  public boolean delete(String id) {
    return documents.remove(id) != null;
  }

  @Override
  public long count() {
    return documents.size();
  }

  @Override
  public String description() {
    return "in memory (" + dimensions + " dimensions, not kept across restarts)";
  }

  @Override
  public void close() {}
}
