package dev.sentinel.memory;

/**
 * Turns text into a vector whose cosine similarity to another text's vector says how alike their
 * meanings are. Thread-safe. Deterministic for a given model: the same text gives the same vector,
 * which is what makes {@link CachingEmbedder} correct.
 */
public interface Embedder {

  /** The dimensions of all-MiniLM-L6-v2, Sentinel's default model. */
  int MINILM_DIMENSIONS = 384;

  /**
   * The vector of {@code text}, of length {@link #dimensions()}. May take milliseconds (a model
   * runs, or a remote API answers): never call it on the ingest hot path.
   *
   * @throws EmbeddingException when the model or the remote API fails
   */
  float[] embed(String text);

  /** The length of every vector this embedder returns. */
  int dimensions();

  /** The model's name, for logs, health and benchmarks. */
  String model();
}
