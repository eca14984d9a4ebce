package dev.sentinel.kafka;

import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.TelemetryBus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the consumer hands decoded points on. In Sentinel it is the in-process {@link TelemetryBus}
 * ({@link #of}), whose partitions own the detector state of their series.
 *
 * <p>Threading: called from the consumer's single thread only. A batch is offered at most once per
 * successful hand-off, but the same points may be offered again after a crash or a rebalance
 * (at-least-once); a sink must tolerate duplicates.
 */
@FunctionalInterface
public interface PointSink {

  /**
   * Takes the whole batch or nothing of it. The caller does not touch the batch after a true.
   *
   * @param partition the Kafka partition the points were read from
   * @return false when there is no room now: the consumer pauses the partition and offers the same
   *     batch again later
   * @throws BatchTooLargeException when the batch could never fit; the consumer splits it
   */
  boolean offer(int partition, PointBatch batch);

  /**
   * Completes once every batch this sink took before the call is safe from a crash of this process:
   * the consumer commits offsets only after it, so that a committed record's points can no longer
   * be lost in memory. Called from the consumer's thread; the future may complete on any thread. A
   * sink that finishes with a batch inside {@link #offer} is always there.
   */
  default CompletableFuture<Void> durable() {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Hands points to a bus. The bus routes each series to the partition thread that owns it, so with
   * Kafka assigning each series' partition to one instance, a series' detector state lives in
   * exactly one detector of one instance. Points are durable once the bus has consumed them and
   * {@code afterConsumed} — what the partitions hand points on to, such as the telemetry writer —
   * says so.
   */
  static PointSink of(TelemetryBus bus, Supplier<CompletableFuture<Void>> afterConsumed) {
    return new PointSink() {
      @Override
      public boolean offer(int partition, PointBatch batch) {
        return bus.tryPublish(batch);
      }

      @Override
      public CompletableFuture<Void> durable() {
        return bus.consumed().thenCompose(consumed -> afterConsumed.get());
      }
    };
  }
}
