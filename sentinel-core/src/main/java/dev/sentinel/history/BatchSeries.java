package dev.sentinel.history;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's points resolved from the registry's process-local ids to the stores' durable {@link
 * SeriesFingerprint}s. Each distinct series is looked up and hashed once per batch, not once per
 * point, so an adapter's append loop reads a plain {@code long} per point.
 */
public final class BatchSeries {

  private final long[] fingerprints;
  private final List<SeriesKey> keys;
  private final long[] distinct;

  private BatchSeries(long[] fingerprints, List<SeriesKey> keys, long[] distinct) {
    this.fingerprints = fingerprints;
    this.keys = keys;
    this.distinct = distinct;
  }

  /**
   * @throws IllegalArgumentException when an id of the batch is unknown to the registry
   */
  public static BatchSeries of(PointBatch batch, SeriesRegistry registry) {
    long[] fingerprints = new long[batch.size()];
    List<SeriesKey> keys = new ArrayList<>();
    long[] distinct = new long[16];
    // Open addressing from registry id to the index of its distinct series (ids are ints >= 0;
    // the table stores id + 1 so that 0 means empty). Grows at half full.
    int[] slotIds = new int[64];
    int[] slotIndex = new int[64];
    for (int i = 0; i < batch.size(); i++) {
      int id = batch.seriesId(i);
      int slot = find(slotIds, id);
      if (slotIds[slot] == 0) {
        SeriesKey key = registry.key(id);
        int index = keys.size();
        keys.add(key);
        if (index == distinct.length) {
          distinct = Arrays.copyOf(distinct, index * 2);
        }
        distinct[index] = SeriesFingerprint.of(key);
        slotIds[slot] = id + 1;
        slotIndex[slot] = index;
        if (keys.size() * 2 > slotIds.length) {
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
    return new BatchSeries(fingerprints, List.copyOf(keys), Arrays.copyOf(distinct, keys.size()));
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

  /** The distinct series of the batch, in order of first appearance. */
  public List<SeriesKey> keys() {
    return keys;
  }

  /** The fingerprint of {@code keys().get(index)}. */
  public long fingerprintOf(int index) {
    return distinct[index];
  }
}
