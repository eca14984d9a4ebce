package dev.sentinel.embeddings;

import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.EmbeddingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * An embedder whose model loads on a background thread, so that loading it (0.7 s for
 * all-MiniLM-L6-v2) does not delay start-up: the first {@link #embed} waits for the load, later
 * ones do not. A load that failed fails every call with the reason.
 */
public final class BackgroundLoadedEmbedder implements Embedder {

  private final CompletableFuture<Embedder> model;
  private final int dimensions;
  private final String name;

  /**
   * @param dimensions known before the model is loaded, so the vector store can open meanwhile
   */
  public BackgroundLoadedEmbedder(Supplier<Embedder> load, int dimensions, String name) {
    this.dimensions = dimensions;
    this.name = name;
    this.model = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("sentinel-embedder-load")
        .daemon(true)
        .start(
            () -> {
              try {
                model.complete(load.get());
              } catch (RuntimeException | Error e) {
                model.completeExceptionally(e);
              }
            });
  }

  @Override
  public float[] embed(String text) {
    Embedder loaded;
    try {
      loaded = model.join();
    } catch (CompletionException e) {
      throw new EmbeddingException("the embedding model " + name + " failed to load", e.getCause());
    }
    return loaded.embed(text);
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public String model() {
    return name;
  }
}
