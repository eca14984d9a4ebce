package dev.sentinel.app.config;

import dev.sentinel.incident.DedupConfig;
import java.util.Objects;
import java.util.Set;

/**
 * Semantic memory: what embeds text, where the vectors live, and what uses them.
 *
 * @param enabled off: no embedding, no deduplication by meaning, no similar incidents
 * @param kind {@code lucene} (an HNSW index under the data directory, the default) or {@code
 *     qdrant}
 * @param embedder {@code minilm} (all-MiniLM-L6-v2 in process, no network, the default) or {@code
 *     openai} (any OpenAI-compatible {@code /v1/embeddings} API)
 * @param cacheEntries embeddings kept by text hash, so the same description is embedded once
 * @param dedup when a new anomaly group joins an open incident that reads the same
 * @param runbooks a folder of Markdown runbooks indexed by section at start; empty for none, and a
 *     missing folder is logged, not fatal (a runbook is advice). A relative path resolves against
 *     the installation when a distribution's {@code bin/sentinel} runs Sentinel, else against the
 *     working directory
 * @param similarLimit how many similar resolved incidents and runbook sections the analyst cites
 *     and the incident API shows
 * @param similarMinimum the cosine similarity below which a resolved incident is not cited, shown
 *     or preferred (all-MiniLM-L6-v2 scores different faults of one service 0.6–0.7, the same fault
 *     again above 0.9)
 * @param runbookMinimum the cosine similarity below which a runbook section is not cited
 */
public record MemoryConfig(
    boolean enabled,
    String kind,
    String embedder,
    OpenAi openai,
    Qdrant qdrant,
    int cacheEntries,
    DedupConfig dedup,
    String runbooks,
    int similarLimit,
    double similarMinimum,
    double runbookMinimum) {

  private static final Set<String> KINDS = Set.of("lucene", "qdrant");
  private static final Set<String> EMBEDDERS = Set.of("minilm", "openai");

  /**
   * @param baseUrl the API root with its version, e.g. {@code https://api.openai.com/v1}
   * @param apiKey set it through {@code SENTINEL_MEMORY_OPENAI_API_KEY}, not in the file
   * @param dimensions the model's vector length (Lucene takes at most 1024)
   */
  public record OpenAi(
      String baseUrl, String model, String apiKey, int dimensions, long timeoutMillis) {
    public OpenAi {
      Objects.requireNonNull(baseUrl, "memory.openai.baseUrl");
      Objects.requireNonNull(model, "memory.openai.model");
      if (dimensions < 1) {
        throw new IllegalArgumentException(
            "memory.openai.dimensions must be >= 1, was " + dimensions);
      }
      if (timeoutMillis < 1) {
        throw new IllegalArgumentException(
            "memory.openai.timeoutMillis must be >= 1, was " + timeoutMillis);
      }
    }
  }

  /**
   * @param port Qdrant's gRPC port (6334), not its REST port (6333)
   * @param apiKey set it through {@code SENTINEL_MEMORY_QDRANT_API_KEY}, not in the file
   */
  public record Qdrant(
      String host, int port, boolean tls, String apiKey, String collection, long timeoutMillis) {
    public Qdrant {
      Objects.requireNonNull(host, "memory.qdrant.host");
      Objects.requireNonNull(collection, "memory.qdrant.collection");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("memory.qdrant.port must be in 1..65535, was " + port);
      }
      if (timeoutMillis < 1) {
        throw new IllegalArgumentException(
            "memory.qdrant.timeoutMillis must be >= 1, was " + timeoutMillis);
      }
    }
  }

  public MemoryConfig {
    Objects.requireNonNull(kind, "memory.kind");
    Objects.requireNonNull(embedder, "memory.embedder");
    Objects.requireNonNull(openai, "memory.openai");
    Objects.requireNonNull(qdrant, "memory.qdrant");
    Objects.requireNonNull(dedup, "memory.dedup");
    runbooks = runbooks == null ? "" : runbooks;
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "memory.kind must be lucene or qdrant, was '" + kind + "'");
    }
    if (!EMBEDDERS.contains(embedder)) {
      throw new IllegalArgumentException(
          "memory.embedder must be minilm or openai, was '" + embedder + "'");
    }
    if (cacheEntries < 1) {
      throw new IllegalArgumentException("memory.cacheEntries must be >= 1, was " + cacheEntries);
    }
    if (similarLimit < 1) {
      throw new IllegalArgumentException("memory.similarLimit must be >= 1, was " + similarLimit);
    }
    if (embedder.equals("openai") && kind.equals("lucene") && openai.dimensions() > 1024) {
      throw new IllegalArgumentException(
          "memory.openai.dimensions "
              + openai.dimensions()
              + " cannot be combined with memory.kind lucene (at most 1024 dimensions):"
              + " use a smaller model or memory.kind qdrant");
    }
  }

  public static MemoryConfig defaults() {
    return new MemoryConfig(
        true,
        "lucene",
        "minilm",
        new OpenAi("https://api.openai.com/v1", "text-embedding-3-small", null, 1536, 10_000),
        new Qdrant("localhost", 6334, false, null, "sentinel_memory", 5_000),
        10_000,
        DedupConfig.defaults(),
        "runbooks",
        3,
        0.8,
        0.5);
  }

  /** The length of the configured embedder's vectors. */
  public int dimensions() {
    return embedder.equals("openai") ? openai.dimensions() : 384;
  }
}
