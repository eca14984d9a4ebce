package dev.sentinel.embeddings;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.EmbeddingException;

/**
 * all-MiniLM-L6-v2 (quantised) running in this process through ONNX Runtime: no network, no key.
 * The model ships inside a Maven jar (16 MB); loading it takes under a second, one embedding a few
 * milliseconds. The model truncates long texts (256 word pieces), so callers put what matters
 * first. Thread-safe: ONNX Runtime sessions may be shared between threads.
 */
public final class MiniLmEmbedder implements Embedder {

  private final EmbeddingModel model;

  public MiniLmEmbedder() {
    // The tokenizer comes from DJL, which otherwise asks the EC2 metadata service who it runs on
    // and reports to a telemetry bucket: Sentinel promises an embedder with no network at all.
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  @Override
  public float[] embed(String text) {
    try {
      return model.embed(text).content().vector();
    } catch (RuntimeException e) {
      throw new EmbeddingException("all-MiniLM-L6-v2 could not embed a text", e);
    }
  }

  @Override
  public int dimensions() {
    return MINILM_DIMENSIONS;
  }

  @Override
  public String model() {
    return "all-MiniLM-L6-v2-q (in process)";
  }
}
