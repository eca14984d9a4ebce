package dev.sentinel.bench.memory;

import dev.sentinel.lucene.LuceneIncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Top-5 search latency of the Lucene incident memory holding {@code size} vectors of 384
 * dimensions. The index is built once (in batches, as an import would) into {@code folder} and
 * reused by later runs, because building 100,000 vectors' HNSW graph takes minutes on two cores.
 * Vectors are clustered like embeddings are (a few hundred topics with noise), documents are a mix
 * of the three kinds over 20 services. Usage: {@code VectorSearchLatency folder [size] [queries]}.
 */
public final class VectorSearchLatency {

  private static final int DIMENSIONS = 384;
  private static final int TOPICS = 500;

  public static void main(String[] args) {
    Path folder = Path.of(args[0]);
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int queries = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    Random random = new Random(11);
    float[][] topics = new float[TOPICS][];
    for (int t = 0; t < TOPICS; t++) {
      topics[t] = gaussian(random, 1.0);
    }
    try (LuceneIncidentMemory memory = LuceneIncidentMemory.open(folder, DIMENSIONS)) {
      long stored = memory.count();
      if (stored < size) {
        long building = System.nanoTime();
        List<MemoryDocument> batch = new ArrayList<>();
        for (long i = stored; i < size; i++) {
          MemoryKind kind = MemoryKind.values()[(int) (i % 3)];
          batch.add(
              new MemoryDocument(
                  "doc-" + i,
                  kind,
                  "document " + i,
                  near(topics[random.nextInt(TOPICS)], random),
                  Map.of("service", "service-" + (i % 20), "incidentId", "inc-" + i)));
          if (batch.size() == 5_000) {
            memory.upsertAll(batch);
            batch.clear();
          }
        }
        memory.upsertAll(batch);
        System.out.printf(
            "built %d vectors in %.1f s%n", size - stored, (System.nanoTime() - building) / 1e9);
      }
      System.out.println("stored: " + memory.count());
      run(memory, topics, random, queries, "no filter", Set.of(), Map.of());
      // What the product asks: one kind (deduplication, similar resolutions, runbooks) or
      // incidents and resolutions together (the LLM agent's similar-incident tool).
      run(
          memory,
          topics,
          random,
          queries,
          "kind=resolution",
          Set.of(MemoryKind.RESOLUTION),
          Map.of());
      run(
          memory,
          topics,
          random,
          queries,
          "kind=incident|resolution",
          Set.of(MemoryKind.INCIDENT, MemoryKind.RESOLUTION),
          Map.of());
      run(
          memory,
          topics,
          random,
          queries,
          "kind=resolution, service=service-3",
          Set.of(MemoryKind.RESOLUTION),
          Map.of("service", "service-3"));
    }
  }

  private static void run(
      LuceneIncidentMemory memory,
      float[][] topics,
      Random random,
      int queries,
      String name,
      Set<MemoryKind> kinds,
      Map<String, String> filters) {
    for (int i = 0; i < queries / 4; i++) {
      memory.search(
          new MemoryQuery(near(topics[random.nextInt(TOPICS)], random), 5, kinds, filters));
    }
    long[] nanos = new long[queries];
    for (int i = 0; i < queries; i++) {
      MemoryQuery query =
          new MemoryQuery(near(topics[random.nextInt(TOPICS)], random), 5, kinds, filters);
      long start = System.nanoTime();
      memory.search(query);
      nanos[i] = System.nanoTime() - start;
    }
    System.out.println("top-5 search, " + name + ": " + Percentiles.of(nanos));
  }

  private static float[] near(float[] topic, Random random) {
    float[] noise = gaussian(random, 0.6);
    float[] vector = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      vector[d] = topic[d] + noise[d];
    }
    return vector;
  }

  private static float[] gaussian(Random random, double scale) {
    float[] vector = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      vector[d] = (float) (random.nextGaussian() * scale);
    }
    return vector;
  }
}
