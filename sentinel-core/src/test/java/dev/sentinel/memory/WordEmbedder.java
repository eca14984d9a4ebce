package dev.sentinel.memory;

import java.util.Locale;

/**
 * A test embedder with no model: each word of the text adds one to a dimension chosen by the word's
 * hash, so texts sharing words are similar and texts sharing none are orthogonal. Lets tests of
 * deduplication and suggestions run without ONNX; counts its calls.
 */
public final class WordEmbedder implements Embedder {

  private final java.util.concurrent.atomic.AtomicInteger calls =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public float[] embed(String text) {
    calls.incrementAndGet();
    float[] vector = new float[MINILM_DIMENSIONS];
    // A constant component keeps the vector of an empty text usable (never all zeros).
    vector[0] = 0.01f;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9_-]+")) {
      if (!word.isEmpty()) {
        vector[1 + Math.floorMod(word.hashCode(), MINILM_DIMENSIONS - 1)] += 1;
      }
    }
    return vector;
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public int dimensions() {
    return MINILM_DIMENSIONS;
  }

  @Override
  public String model() {
    return "words";
  }
}
