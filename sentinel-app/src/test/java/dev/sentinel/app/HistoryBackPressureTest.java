package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.history.TelemetryStoreException;
import dev.sentinel.history.TelemetryWriter;
import dev.sentinel.history.UnsupportedTelemetryStore;
import dev.sentinel.history.WriterConfig;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer is never started: the test decides when it writes, and whether the store fails. */
class HistoryBackPressureTest {

  private final SeriesRegistry registry = new SeriesRegistry();
  private final int series = registry.intern(SeriesKey.of("cpu"));
  private final ManualClock clock = new ManualClock(1_800_000_000_000L);
  private volatile boolean storeDown;
  private final TelemetryWriter writer =
      new TelemetryWriter(
          new UnsupportedTelemetryStore() {
            @Override
            public void append(PointBatch points, SeriesRegistry registry) {
              if (storeDown) {
                throw new TelemetryStoreException("connection refused");
              }
            }
          },
          registry,
          new WriterConfig(
              100, Duration.ofSeconds(1), 1000, Duration.ofMillis(100), Duration.ofSeconds(1)),
          clock);
  private final InProcessTelemetryBus bus =
      new InProcessTelemetryBus(1, 100_000, partition -> batch -> {});
  private final HistoryBackPressure edge = new HistoryBackPressure(bus, writer, Duration.ZERO);

  @AfterEach
  void stop() {
    bus.close();
  }

  private PointBatch points(int count) {
    PointBatch batch = new PointBatch(count);
    for (int i = 0; i < count; i++) {
      batch.add(series, clock.millis() + i, i);
    }
    return batch;
  }

  @Test
  void a_store_slower_than_ingest_refuses_the_batch_instead_of_losing_history() {
    writer.offer(points(900));

    assertThat(edge.tryPublish(points(200))).isFalse();
    assertThat(edge.tryPublish(points(50))).isTrue();

    writer.writeDue();
    assertThat(edge.tryPublish(points(200))).as("room again once the store caught up").isTrue();
    assertThat(writer.health().droppedPoints()).isZero();
  }

  @Test
  void a_batch_waits_for_the_writer_to_make_room_instead_of_being_refused() throws Exception {
    HistoryBackPressure waiting = new HistoryBackPressure(bus, writer, Duration.ofMinutes(5));
    writer.offer(points(900));
    AtomicBoolean accepted = new AtomicBoolean();
    Thread publisher =
        Thread.ofVirtual().start(() -> accepted.set(waiting.tryPublish(points(200))));
    // The wait is far longer than the test: it ends because the writer drains, not by timing out.
    while (publisher.getState() != Thread.State.TIMED_WAITING && publisher.isAlive()) {
      Thread.onSpinWait();
    }
    assertThat(publisher.isAlive()).as("still waiting while the history is full").isTrue();

    writer.writeDue();
    publisher.join();

    assertThat(accepted).isTrue();
    assertThat(writer.health().writtenPoints()).isEqualTo(900);
    assertThat(writer.health().droppedPoints()).isZero();
  }

  @Test
  void a_batch_that_finds_no_room_within_the_wait_is_refused() {
    HistoryBackPressure waiting = new HistoryBackPressure(bus, writer, Duration.ofMillis(30));
    writer.offer(points(900));

    assertThat(waiting.tryPublish(points(200))).isFalse();
    assertThat(writer.health().bufferedPoints()).isEqualTo(900);
  }

  @Test
  void edges_publishing_at_once_never_overfill_the_history() throws Exception {
    InProcessTelemetryBus feeding =
        new InProcessTelemetryBus(2, 100_000, partition -> writer::offer);
    HistoryBackPressure edges = new HistoryBackPressure(feeding, writer, Duration.ZERO);
    AtomicLong acceptedPoints = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      publishers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 20; i++) {
                      if (edges.tryPublish(points(150))) {
                        acceptedPoints.addAndGet(150);
                      }
                    }
                  }));
    }
    go.countDown();
    for (Thread publisher : publishers) {
      publisher.join();
    }
    feeding.consumed().get();
    feeding.close();

    // The writer never wrote: everything accepted is held, and nothing was dropped.
    assertThat(writer.health().droppedPoints()).isZero();
    assertThat(writer.health().bufferedPoints())
        .isEqualTo(acceptedPoints.get())
        .isLessThanOrEqualTo(1000);
    assertThat(acceptedPoints.get()).isPositive();
  }

  @Test
  void a_failing_store_does_not_stop_ingest() {
    writer.offer(points(900));
    storeDown = true;
    writer.writeDue();

    assertThat(edge.tryPublish(points(200))).isTrue();
  }
}
