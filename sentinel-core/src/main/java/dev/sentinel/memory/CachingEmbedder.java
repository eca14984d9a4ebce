package dev.sentinel.memory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the vectors of the texts it embedded, keyed by the SHA-256 of the text: while a text's
 * vector is cached (the {@code capacity} most recently used texts), it is never embedded again, not
 * even by two threads asking at once (the second waits for the first's result). Incident
 * descriptions repeat (a flapping service, a re-run workflow step), and a model call costs
 * milliseconds or an API fee. A failed embedding is not cached, so the next call retries.
 */
public final class CachingEmbedder implements Embedder {

  private final Embedder delegate;
  private final Map<String, CompletableFuture<float[]>> vectors;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  public CachingEmbedder(Embedder delegate, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.delegate = delegate;
    // Access order: the least recently used vector is the one evicted.
    this.vectors =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<float[]>> e) {
            return size() > capacity;
          }
        };
  }

  @Override
  public float[] embed(String text) {
    String key = hash(text);
    CompletableFuture<float[]> mine = new CompletableFuture<>();
    CompletableFuture<float[]> known;
    synchronized (vectors) {
      known = vectors.putIfAbsent(key, mine);
    }
    if (known != null) {
      hits.incrementAndGet();
      try {
        return known.join().clone();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
      }
    }
    misses.incrementAndGet();
    try {
      float[] vector = delegate.embed(text);
      mine.complete(vector.clone());
      return vector;
    } catch (RuntimeException e) {
      synchronized (vectors) {
        vectors.remove(key, mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** Calls answered from the cache. */
  public long hits() {
    return hits.get();
  }

  /** Calls that went to the model. */
  public long misses() {
    return misses.get();
  }

  @Override
  public int dimensions() {
    return delegate.dimensions();
  }

  @Override
  public String model() {
    return delegate.model();
  }

  private static String hash(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
