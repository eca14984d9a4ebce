package dev.sentinel.kafka;

import dev.sentinel.ingest.SeriesRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition a series belongs to: the partition Kafka's default partitioner picks for a record
 * keyed by the series' canonical text ({@link dev.sentinel.ingest.SeriesKey#text()}), {@code
 * toPositive(murmur2(utf8(text))) % partitions}. Producers that key records by that text and
 * producers that pick the partition with {@link #partition(String, int)} agree.
 *
 * <p>The per-id cache makes the check of every decoded point an array read. It is safe for
 * concurrent use: entries are ints computed from immutable data, so a racing write stores the same
 * value, and an entry lost while the array grows is computed again.
 */
public final class SeriesPartitioner {

  private final SeriesRegistry registry;
  private final int partitions;
  private volatile int[] cache = new int[1024]; // partition + 1 per series id; 0 = not computed

  public SeriesPartitioner(SeriesRegistry registry, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    this.registry = registry;
    this.partitions = partitions;
  }

  /** The partition of a series by its canonical text. */
  public static int partition(String seriesKeyText, int partitions) {
    return Utils.toPositive(Utils.murmur2(seriesKeyText.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /** The partition of a registered series. */
  public int partitionOf(int seriesId) {
    int[] current = cache;
    if (seriesId < current.length) {
      int cached = current[seriesId];
      if (cached != 0) {
        return cached - 1;
      }
    } else {
      current = grow(seriesId);
    }
    int partition = partition(registry.text(seriesId), partitions);
    current[seriesId] = partition + 1;
    return partition;
  }

  public int partitions() {
    return partitions;
  }

  private synchronized int[] grow(int seriesId) {
    if (seriesId >= cache.length) {
      cache = Arrays.copyOf(cache, Math.max(cache.length * 2, seriesId + 1));
    }
    return cache;
  }
}
