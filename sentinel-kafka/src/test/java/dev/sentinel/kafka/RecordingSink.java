package dev.sentinel.kafka;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every point it takes with its Kafka partition; can refuse a number of offers first. */
final class RecordingSink implements PointSink {

  /** One point as handed on. */
  record Taken(int partition, String series, long timestamp, double value) {}

  final Queue<Taken> points = new ConcurrentLinkedQueue<>();
  final Queue<String> events;
  final AtomicInteger refusalsLeft = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();

  /** What {@link #durable} answers: done at once unless a test holds the points in "memory". */
  volatile CompletableFuture<Void> durability = CompletableFuture.completedFuture(null);

  private final SeriesRegistry registry;

  RecordingSink(SeriesRegistry registry, Queue<String> events) {
    this.registry = registry;
    this.events = events;
  }

  RecordingSink(SeriesRegistry registry) {
    this(registry, new ConcurrentLinkedQueue<>());
  }

  @Override
  public boolean offer(int partition, PointBatch batch) {
    if (refusalsLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
      refused.incrementAndGet();
      return false;
    }
    events.add("batch " + partition);
    for (int i = 0; i < batch.size(); i++) {
      points.add(
          new Taken(
              partition,
              registry.key(batch.seriesId(i)).text(),
              batch.timestamp(i),
              batch.value(i)));
    }
    return true;
  }

  @Override
  public CompletableFuture<Void> durable() {
    return durability;
  }

  List<Taken> snapshot() {
    return List.copyOf(points);
  }
}
