package dev.sentinel.history;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's points resolved from the registry's process-local ids to the stores' durable {@link
 * SeriesFingerprint}s. Each distinct series is looked up once per batch, not once per point, so an
 * adapter's append loop reads a plain {@code long} per point; a {@link FingerprintCache} spares
 * even that hash. A series' key is rebuilt from the registry only when a store asks for it (to
 * register a series it has not stored yet).
 */
public final class BatchSeries {

  private final long[] fingerprints;
  private final SeriesRegistry registry;
  private final int[] ids;
  private final long[] distinct;
  private List<SeriesKey> keys;

  private BatchSeries(long[] fingerprints, SeriesRegistry registry, int[] ids, long[] distinct) {
    this.fingerprints = fingerprints;
    this.registry = registry;
    this.ids = ids;
    this.distinct = distinct;
  }

  /**
   * @throws IllegalArgumentException when an id of the batch is unknown to the registry
   */
  public static BatchSeries of(PointBatch batch, SeriesRegistry registry) {
    return of(batch, registry, new FingerprintCache());
  }

  /**
   * Resolves the batch with fingerprints from {@code cache}, which computes those it lacks.
   *
   * @throws IllegalArgumentException when an id of the batch is unknown to the registry
   */
  public static BatchSeries of(PointBatch batch, SeriesRegistry registry, FingerprintCache cache) {
    long[] fingerprints = new long[batch.size()];
    int count = 0;
    int[] ids = new int[16];
    long[] distinct = new long[16];
    // Open addressing from registry id to the index of its distinct series (ids are ints >= 0;
    // the table stores id + 1 so that 0 means empty). Grows at half full.
    int[] slotIds = new int[64];
    int[] slotIndex = new int[64];
    for (int i = 0; i < batch.size(); i++) {
      int id = batch.seriesId(i);
      int slot = find(slotIds, id);
      if (slotIds[slot] == 0) {
        int index = count++;
        if (index == distinct.length) {
          distinct = Arrays.copyOf(distinct, index * 2);
          ids = Arrays.copyOf(ids, index * 2);
        }
        distinct[index] = cache.fingerprint(registry, id);
        ids[index] = id;
        slotIds[slot] = id + 1;
        slotIndex[slot] = index;
        if (count * 2 > slotIds.length) {
          int[] oldIds = slotIds;
          int[] oldIndex = slotIndex;
          slotIds = new int[oldIds.length * 2];
          slotIndex = new int[oldIds.length * 2];
          for (int s = 0; s < oldIds.length; s++) {
            if (oldIds[s] != 0) {
              int moved = find(slotIds, oldIds[s] - 1);
              slotIds[moved] = oldIds[s];
              slotIndex[moved] = oldIndex[s];
            }
          }
          slot = find(slotIds, id);
        }
      }
      fingerprints[i] = distinct[slotIndex[slot]];
    }
    return new BatchSeries(
        fingerprints, registry, Arrays.copyOf(ids, count), Arrays.copyOf(distinct, count));
  }

  /** The slot holding {@code id}, or the empty slot where it belongs. */
  private static int find(int[] slotIds, int id) {
    int mask = slotIds.length - 1;
    int slot = (id * 0x9E3779B9 >>> 7) & mask;
    while (slotIds[slot] != 0 && slotIds[slot] != id + 1) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** The fingerprint of the point at {@code index} of the batch. */
  public long fingerprint(int index) {
    return fingerprints[index];
  }

  /** How many distinct series the batch holds. */
  public int distinctCount() {
    return distinct.length;
  }

  /** The key of distinct series {@code index} (in order of first appearance), rebuilt on demand. */
  public SeriesKey key(int index) {
    return keys != null ? keys.get(index) : registry.key(ids[index]);
  }

  /** The distinct series of the batch, in order of first appearance. */
  public List<SeriesKey> keys() {
    if (keys == null) {
      List<SeriesKey> all = new ArrayList<>(ids.length);
      for (int id : ids) {
        all.add(registry.key(id));
      }
      keys = List.copyOf(all);
    }
    return keys;
  }

  /** The fingerprint of distinct series {@code index}, that is of {@code key(index)}. */
  public long fingerprintOf(int index) {
    return distinct[index];
  }
}
