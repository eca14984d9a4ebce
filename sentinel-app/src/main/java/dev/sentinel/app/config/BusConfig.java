package dev.sentinel.app.config;

/**
 * The in-process telemetry bus.
 *
 * @param partitions detection partitions, one thread each; 0 means one per available core
 * @param capacityPoints points in flight before producers feel back-pressure (HTTP 429). The
 *     default, 2 M points, is about a second of peak ingest on a small machine and ~50 MB of heap.
 */
public record BusConfig(int partitions, int capacityPoints) {

  public BusConfig {
    if (partitions < 0 || partitions > 1024) {
      throw new IllegalArgumentException("partitions must be in 0..1024, was " + partitions);
    }
    if (capacityPoints < 1000) {
      throw new IllegalArgumentException("capacityPoints must be >= 1000, was " + capacityPoints);
    }
  }

  public static BusConfig defaults() {
    return new BusConfig(0, 2_000_000);
  }

  public int effectivePartitions() {
    return partitions > 0 ? partitions : Runtime.getRuntime().availableProcessors();
  }
}
