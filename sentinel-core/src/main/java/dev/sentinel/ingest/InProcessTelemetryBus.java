package dev.sentinel.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded telemetry bus: one queue and one platform thread per partition, with a shared budget
 * of in-flight points that gives back-pressure.
 *
 * <p>A series goes to partition {@code seriesId % partitions}; ids are dense, so this spreads
 * series evenly. The budget is a semaphore of points: a batch takes its permits before it is queued
 * and gives them back once consumed, so admission is all or nothing.
 */
public final class InProcessTelemetryBus implements TelemetryBus {

  private static final Logger log = LoggerFactory.getLogger(InProcessTelemetryBus.class);
  private static final Object STOP = new Object();

  /**
   * Queued behind every partition's batches by {@link #consumed()}; completes when the last
   * partition reaches it.
   */
  private static final class Marker {
    final AtomicInteger remaining;
    final CompletableFuture<Void> reached = new CompletableFuture<>();

    Marker(int partitions) {
      remaining = new AtomicInteger(partitions);
    }

    void arrive() {
      if (remaining.decrementAndGet() == 0) {
        reached.complete(null);
      }
    }
  }

  /** Work that must run on a partition's thread, in order with its batches. */
  private record Task<T>(Supplier<T> work, CompletableFuture<T> done) {
    void run() {
      try {
        done.complete(work.get());
      } catch (RuntimeException | Error e) {
        done.completeExceptionally(e);
      }
    }
  }

  private final int capacity;
  private final Semaphore budget;
  private final List<BlockingQueue<Object>> queues = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong consumerFailures = new AtomicLong();
  private volatile boolean closed;

  public InProcessTelemetryBus(
      int partitions, int capacityPoints, IntFunction<BatchConsumer> consumerForPartition) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    if (capacityPoints < 1) {
      throw new IllegalArgumentException("capacityPoints must be >= 1, was " + capacityPoints);
    }
    this.capacity = capacityPoints;
    this.budget = new Semaphore(capacityPoints);
    for (int p = 0; p < partitions; p++) {
      BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
      BatchConsumer consumer = consumerForPartition.apply(p);
      Thread worker =
          Thread.ofPlatform()
              .name("sentinel-partition-" + p)
              .daemon(true)
              .unstarted(() -> drain(queue, consumer));
      queues.add(queue);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  @Override
  public boolean tryPublish(int points, Supplier<PointBatch> build) {
    if (admissible(points) == 0) {
      return true;
    }
    if (!budget.tryAcquire(points)) {
      return false;
    }
    PointBatch batch;
    try {
      batch = PointBatch.built(build, points);
    } catch (RuntimeException e) {
      budget.release(points);
      throw e;
    }
    dispatch(batch);
    return true;
  }

  @Override
  public void publish(PointBatch batch) throws InterruptedException {
    int points = admissible(batch);
    if (points == 0) {
      return;
    }
    budget.acquire(points);
    dispatch(batch);
  }

  private int admissible(PointBatch batch) {
    return admissible(batch.size());
  }

  private int admissible(int points) {
    if (closed) {
      throw new IllegalStateException("the telemetry bus is closed");
    }
    if (points > capacity) {
      throw new BatchTooLargeException(points, capacity);
    }
    return points;
  }

  private void dispatch(PointBatch batch) {
    int partitions = queues.size();
    if (partitions == 1) {
      queues.get(0).add(batch);
      return;
    }
    PointBatch[] parts = new PointBatch[partitions];
    int expected = Math.max(16, batch.size() / partitions + batch.size() / (4 * partitions));
    for (int i = 0; i < batch.size(); i++) {
      int id = batch.seriesId(i);
      int p = partitionOf(id);
      PointBatch part = parts[p];
      if (part == null) {
        part = parts[p] = new PointBatch(expected);
      }
      part.add(id, batch.timestamp(i), batch.value(i));
    }
    for (int p = 0; p < partitions; p++) {
      if (parts[p] != null) {
        queues.get(p).add(parts[p]);
      }
    }
  }

  private void drain(BlockingQueue<Object> queue, BatchConsumer consumer) {
    while (true) {
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (item == STOP) {
        return;
      }
      if (item instanceof Marker marker) {
        marker.arrive();
        continue;
      }
      if (item instanceof Task<?> task) {
        task.run();
        continue;
      }
      PointBatch batch = (PointBatch) item;
      try {
        consumer.consume(batch);
      } catch (RuntimeException e) {
        consumerFailures.incrementAndGet();
        log.error("a partition consumer failed on a batch of {} points", batch.size(), e);
      } finally {
        budget.release(batch.size());
      }
    }
  }

  /**
   * Queues a marker behind every partition's batches; it completes once all partitions have
   * consumed what they held when it was queued. Never completes after {@link #close} has stopped
   * the partitions before they reached it.
   */
  @Override
  public CompletableFuture<Void> consumed() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the telemetry bus is closed"));
    }
    Marker marker = new Marker(queues.size());
    queues.forEach(queue -> queue.add(marker));
    return marker.reached;
  }

  /**
   * Runs {@code work} on the thread of partition {@code partition}, after the batches queued there
   * before it and before those queued after it: how state a partition's consumer owns (its
   * detectors) is changed from another thread without a lock. The future fails with what the work
   * threw; it never completes if the bus closes before the work's turn.
   */
  public <T> CompletableFuture<T> onPartition(int partition, Supplier<T> work) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the telemetry bus is closed"));
    }
    Task<T> task = new Task<>(work, new CompletableFuture<>());
    queues.get(partition).add(task);
    return task.done;
  }

  /** The partition whose thread consumes a series' points. */
  public int partitionOf(int seriesId) {
    return seriesId % queues.size();
  }

  @Override
  public long queuedPoints() {
    return capacity - budget.availablePermits();
  }

  @Override
  public long capacityPoints() {
    return capacity;
  }

  @Override
  public int partitions() {
    return queues.size();
  }

  /** Batches whose consumer threw; they were logged and their points released. */
  public long consumerFailures() {
    return consumerFailures.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queues.forEach(queue -> queue.add(STOP));
    for (Thread worker : workers) {
      try {
        worker.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
