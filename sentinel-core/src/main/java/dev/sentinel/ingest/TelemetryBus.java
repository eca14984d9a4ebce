package dev.sentinel.ingest;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Carries points from the edges (HTTP, the simulator, later Kafka) to the partitions that detect on
 * them. Every series always lands on the same partition, so one partition owns the detector state
 * of its series and points of a series keep their order.
 *
 * <p>Back-pressure, not loss: the bus holds at most {@link #capacityPoints()} points in flight;
 * when that is reached {@link #tryPublish} refuses the whole batch and the caller tells its client
 * to retry (HTTP 429), and {@link #publish} waits.
 */
public interface TelemetryBus extends AutoCloseable {

  /**
   * Hands the batch over, all or nothing. Thread-safe. The caller must not touch the batch
   * afterwards when this returns true.
   *
   * @return false when the bus is full; nothing of the batch was taken
   * @throws BatchTooLargeException when the batch could never fit, however empty the bus is
   */
  default boolean tryPublish(PointBatch batch) {
    return tryPublish(batch.size(), () -> batch);
  }

  /**
   * Like {@link #tryPublish(PointBatch)} for a batch that is built only once the bus has room for
   * it: {@code build} runs after the room for {@code points} points is taken, and only then. The
   * edges build there the batch whose new series they register, so a refused batch (HTTP 429)
   * leaves the series registry as it was.
   *
   * @param build gives the batch of exactly {@code points} points; called at most once
   * @return false when the bus is full; {@code build} was not called
   * @throws BatchTooLargeException when {@code points} could never fit
   */
  boolean tryPublish(int points, Supplier<PointBatch> build);

  /** Like {@link #tryPublish} but waits for room. Thread-safe. */
  void publish(PointBatch batch) throws InterruptedException;

  /**
   * Completes once every batch accepted before the call has been consumed: detected, and handed to
   * whatever the partitions hand points on to. A Kafka consumer waits for it before it commits, so
   * that points it committed cannot still be in memory when the process dies. A bus that consumes
   * on the caller's thread is always there.
   */
  default CompletableFuture<Void> consumed() {
    return CompletableFuture.completedFuture(null);
  }

  /** Points accepted and not yet consumed. */
  long queuedPoints();

  long capacityPoints();

  int partitions();

  /** Stops accepting, lets the partitions finish what they hold, and stops them. Idempotent. */
  @Override
  void close();
}
