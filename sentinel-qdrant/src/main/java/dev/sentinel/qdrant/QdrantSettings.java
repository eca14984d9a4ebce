package dev.sentinel.qdrant;

import java.time.Duration;
import java.util.Objects;

/**
 * Where Qdrant listens (its gRPC port, 6334 by default) and which collection holds Sentinel's
 * memory.
 *
 * @param apiKey sent with every call; {@code null} or blank for a Qdrant without keys
 * @param timeout for each call, so a hung Qdrant fails the caller instead of blocking it
 */
public record QdrantSettings(
    String host,
    int port,
    boolean tls,
    String apiKey,
    String collection,
    int dimensions,
    Duration timeout) {

  public QdrantSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(timeout, "timeout");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, was " + port);
    }
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions);
    }
  }
}
