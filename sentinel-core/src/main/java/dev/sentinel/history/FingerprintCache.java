package dev.sentinel.history;

import dev.sentinel.ingest.SeriesRegistry;
import java.util.Arrays;

/**
 * Each registry id's {@link SeriesFingerprint}, computed once per process rather than once per
 * batch. Without it a store's writer parsed the series' text back into a key and hashed it with
 * SHA-256 for every distinct series of every batch: at 2,000 series × 5 samples per request that
 * was 10,000 parses and hashes per 50,000-point batch, more CPU than DuckDB's append of the batch.
 *
 * <p>Registry ids are dense and never reused, so the cache is an array indexed by id. It belongs to
 * one registry at a time: asked about another, it starts over. Not thread-safe; a store uses it
 * under its write lock.
 */
public final class FingerprintCache {

  private static final long UNKNOWN = -1; // fingerprints are never negative

  private SeriesRegistry registry;
  private long[] fingerprints = new long[0];

  /**
   * The fingerprint of the series the registry knows as {@code id}.
   *
   * @throws IllegalArgumentException when the registry never gave that id
   */
  public long fingerprint(SeriesRegistry registry, int id) {
    if (registry != this.registry) {
      this.registry = registry;
      fingerprints = new long[0];
    }
    if (id < 0) {
      throw new IllegalArgumentException("unknown series id " + id);
    }
    if (id >= fingerprints.length) {
      int old = fingerprints.length;
      fingerprints = Arrays.copyOf(fingerprints, Math.max(id + 1, Math.max(1024, old * 2)));
      Arrays.fill(fingerprints, old, fingerprints.length, UNKNOWN);
    }
    long fingerprint = fingerprints[id];
    if (fingerprint == UNKNOWN) {
      fingerprint = SeriesFingerprint.of(registry.key(id));
      fingerprints[id] = fingerprint;
    }
    return fingerprint;
  }
}
