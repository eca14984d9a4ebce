package dev.sentinel.app;

import dev.sentinel.history.TelemetryWriter;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.TelemetryBus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The bus as the edges see it when {@code telemetry.buffer.whenFull} is {@code backpressure}: a
 * batch is refused (HTTP 429/503, a waiting publisher) while the telemetry writer could not take it
 * together with everything already in flight on the bus, so a store that is slower than ingest
 * slows ingest down instead of losing history. While the store is failing it lets batches through:
 * an outage fills the writer's buffer and then sheds, counted, so that detection goes on.
 *
 * <p>A batch offered while the history is full waits up to {@code roomWait} for the writer to make
 * room before it is refused. Refusing at once made a loaded Sentinel answer most remote-write
 * requests with 503: each client then paused and re-sent a request that had already been decoded
 * once, so the refusals themselves took CPU from the writer they were waiting for (60 % of requests
 * refused at 2,000 × 5, bench/RESULTS.md). A short wait turns that into latency, as a Prometheus
 * receiver that appends synchronously behaves; the edges run on virtual threads, so a waiting
 * request holds no platform thread.
 */
final class HistoryBackPressure implements TelemetryBus {

  private static final long WAIT_MILLIS = 10;

  private final TelemetryBus bus;
  private final TelemetryWriter writer;
  private final long roomWaitNanos;

  /**
   * Makes the room check and the publish one step. Without it, edges that found room at the same
   * moment could all publish, overfilling the writer's buffer, which then drops points from the
   * history while the store is healthy (10,000 of 1.6 M were dropped in a 5 s run at 2,000 × 5
   * before this lock and the count of points in flight, see {@link
   * TelemetryWriter#hasRoomOrIsFailing}). Points are counted from the publish until the writer has
   * written them: the bus's budget is released only after its consumer has handed the batch to the
   * writer.
   */
  private final ReentrantLock admission = new ReentrantLock();

  HistoryBackPressure(TelemetryBus bus, TelemetryWriter writer, Duration roomWait) {
    this.bus = bus;
    this.writer = writer;
    this.roomWaitNanos = roomWait.toNanos();
  }

  private boolean historyHasRoom(int points) {
    return writer.hasRoomOrIsFailing(points, bus.queuedPoints());
  }

  @Override
  public boolean tryPublish(int points, Supplier<PointBatch> build) {
    long deadline = System.nanoTime() + roomWaitNanos;
    while (true) {
      admission.lock();
      try {
        if (historyHasRoom(points)) {
          return bus.tryPublish(points, build);
        }
      } finally {
        admission.unlock();
      }
      if (System.nanoTime() >= deadline || !pause()) {
        return false;
      }
    }
  }

  @Override
  public void publish(PointBatch batch) throws InterruptedException {
    while (true) {
      admission.lock();
      try {
        if (historyHasRoom(batch.size()) && bus.tryPublish(batch)) {
          return;
        }
      } finally {
        admission.unlock();
      }
      Thread.sleep(WAIT_MILLIS);
    }
  }

  /** Sleeps a moment; false when interrupted (the interrupt is kept). */
  private static boolean pause() {
    try {
      Thread.sleep(WAIT_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public CompletableFuture<Void> consumed() {
    return bus.consumed();
  }

  @Override
  public long queuedPoints() {
    return bus.queuedPoints();
  }

  @Override
  public long capacityPoints() {
    return bus.capacityPoints();
  }

  @Override
  public int partitions() {
    return bus.partitions();
  }

  @Override
  public void close() {
    bus.close();
  }
}
