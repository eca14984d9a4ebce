package dev.sentinel.app;

import dev.sentinel.history.TelemetryWriter;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.TelemetryBus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The bus as the edges see it when {@code telemetry.buffer.whenFull} is {@code backpressure}: a
 * batch is refused (HTTP 429/503, a waiting publisher) while the telemetry writer could not take it
 * together with everything already in flight on the bus, so a store that is slower than ingest
 * slows ingest down instead of losing history. While the store is failing it lets batches through:
 * an outage fills the writer's buffer and then sheds, counted, so that detection goes on.
 */
final class HistoryBackPressure implements TelemetryBus {

  private static final long WAIT_MILLIS = 10;

  private final TelemetryBus bus;
  private final TelemetryWriter writer;

  HistoryBackPressure(TelemetryBus bus, TelemetryWriter writer) {
    this.bus = bus;
    this.writer = writer;
  }

  private boolean historyHasRoom(int points) {
    return writer.hasRoomOrIsFailing(points + bus.queuedPoints());
  }

  @Override
  public boolean tryPublish(int points, Supplier<PointBatch> build) {
    return historyHasRoom(points) && bus.tryPublish(points, build);
  }

  @Override
  public void publish(PointBatch batch) throws InterruptedException {
    while (!historyHasRoom(batch.size())) {
      Thread.sleep(WAIT_MILLIS);
    }
    bus.publish(batch);
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
