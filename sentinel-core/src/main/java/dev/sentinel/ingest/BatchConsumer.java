package dev.sentinel.ingest;

/**
 * What a partition does with the batches it receives. Each partition has its own consumer and calls
 * it from the partition's single thread only, so a consumer may keep unsynchronised state.
 */
@FunctionalInterface
public interface BatchConsumer {
  void consume(PointBatch batch);
}
