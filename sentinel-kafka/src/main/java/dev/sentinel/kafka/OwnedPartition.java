package dev.sentinel.kafka;

import dev.sentinel.ingest.SeriesKey;

/**
 * A partition of the telemetry topic this instance has been assigned, with the partition count that
 * tells which series belong to it.
 */
public record OwnedPartition(String topic, int partition, int partitionCount) {

  public OwnedPartition {
    if (partitionCount < 1 || partition < 0 || partition >= partitionCount) {
      throw new IllegalArgumentException(
          "partition " + partition + " out of range for " + partitionCount + " partitions");
    }
  }

  /** Whether points of this series are keyed to this partition (see {@link SeriesPartitioner}). */
  public boolean owns(SeriesKey series) {
    return SeriesPartitioner.partition(series.text(), partitionCount) == partition;
  }
}
