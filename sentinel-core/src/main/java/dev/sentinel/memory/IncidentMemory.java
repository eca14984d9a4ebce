package dev.sentinel.memory;

import java.util.List;

/**
 * What Sentinel remembers as vectors: incident descriptions, resolutions and runbook sections,
 * found again by cosine similarity.
 *
 * <p>Thread-safe: upserts, deletes and searches may run concurrently from any thread; a search sees
 * every upsert that returned before it began. Writes are idempotent: upserting a document with an
 * id already present replaces it (a re-run workflow step or a re-read runbook never duplicates),
 * and deleting an absent id does nothing. A durable adapter keeps every document whose upsert
 * returned across a {@link #close()} and a restart.
 */
public interface IncidentMemory extends AutoCloseable {

  /** The length every stored and queried vector must have. */
  int dimensions();

  /**
   * Stores a document, replacing any with the same id.
   *
   * @throws IllegalArgumentException when its vector is not {@link #dimensions()} long
   */
  void upsert(MemoryDocument document);

  /**
   * The documents nearest to the query's vector that pass its filters, most similar first, at most
   * {@code query.limit()} of them.
   *
   * @throws IllegalArgumentException when the query's vector is not {@link #dimensions()} long
   */
  List<MemoryHit> search(MemoryQuery query);

  /** Forgets a document; returns whether there was one with this id. */
  boolean delete(String id);

  /** How many documents are stored. */
  long count();

  /** Where the memory lives, for logs and health. */
  String description();

  /** Releases files and connections; everything upserted so far is kept by durable adapters. */
  @Override
  void close();
}
