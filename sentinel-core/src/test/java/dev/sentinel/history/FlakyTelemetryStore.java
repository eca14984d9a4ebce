package dev.sentinel.history;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A store for the writer's tests: remembers what was appended, in order, and fails the next appends
 * while told to. Reads other than {@link #appended()} are not needed and not supported.
 */
final class FlakyTelemetryStore extends UnsupportedTelemetryStore {

  /** One appended point, resolved to its series. */
  record Row(SeriesKey series, long timestampMillis, double value) {}

  private final List<Row> rows = new CopyOnWriteArrayList<>();
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private volatile int failuresLeft;
  private volatile int attempts;
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;

  /** The next append counts {@code entered} down, then waits for {@code release}. */
  void stall(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
  }

  /** The next {@code count} appends throw. */
  void failNext(int count) {
    failuresLeft = count;
  }

  /** Every append throws until {@link #recover()}. */
  void goDown() {
    failuresLeft = Integer.MAX_VALUE;
  }

  void recover() {
    failuresLeft = 0;
  }

  int attempts() {
    return attempts;
  }

  List<Row> appended() {
    return List.copyOf(rows);
  }

  List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  @Override
  public synchronized void append(PointBatch points, SeriesRegistry registry) {
    attempts++;
    if (release != null) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release = null;
    }
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new TelemetryStoreException("store unreachable (test)");
    }
    List<Row> batch = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      batch.add(new Row(registry.key(points.seriesId(i)), points.timestamp(i), points.value(i)));
    }
    rows.addAll(batch);
    batchSizes.add(points.size());
  }
}
