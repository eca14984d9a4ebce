package dev.sentinel.app.config;

/**
 * The telemetry bus: the in-process one always runs detection; with {@code kind: kafka} it is fed
 * from a Kafka topic that the instances of one deployment share as a consumer group.
 *
 * @param partitions detection partitions, one thread each; 0 means one per available core
 * @param capacityPoints points in flight before producers feel back-pressure (HTTP 429, a paused
 *     Kafka partition). The default, 2 M points, is about a second of peak ingest on a small
 *     machine and ~50 MB of heap.
 * @param kind {@code inprocess} (the default: points go from the edges straight to detection) or
 *     {@code kafka}
 * @param kafka the topic, group and options used when {@code kind} is {@code kafka}
 */
public record BusConfig(int partitions, int capacityPoints, String kind, KafkaBusConfig kafka) {

  public static final String IN_PROCESS = "inprocess";
  public static final String KAFKA = "kafka";

  public BusConfig {
    if (partitions < 0 || partitions > 1024) {
      throw new IllegalArgumentException("partitions must be in 0..1024, was " + partitions);
    }
    if (capacityPoints < 1000) {
      throw new IllegalArgumentException("capacityPoints must be >= 1000, was " + capacityPoints);
    }
    kind = kind == null || kind.isBlank() ? IN_PROCESS : kind.strip();
    if (!kind.equals(IN_PROCESS) && !kind.equals(KAFKA)) {
      throw new IllegalArgumentException(
          "kind must be '" + IN_PROCESS + "' or '" + KAFKA + "', was '" + kind + "'");
    }
    kafka = kafka == null ? KafkaBusConfig.defaults() : kafka;
    if (kind.equals(KAFKA)) {
      kafka.requireComplete();
    }
  }

  public static BusConfig defaults() {
    return new BusConfig(0, 2_000_000, IN_PROCESS, KafkaBusConfig.defaults());
  }

  public boolean usesKafka() {
    return KAFKA.equals(kind);
  }

  public int effectivePartitions() {
    return partitions > 0 ? partitions : Runtime.getRuntime().availableProcessors();
  }
}
