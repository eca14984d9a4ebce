package dev.sentinel.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TelemetryWriterTest {

  private static final long START = 1_772_409_600_000L;

  private final ManualClock clock = new ManualClock(START);
  private final SeriesRegistry registry = new SeriesRegistry();
  private final FlakyTelemetryStore store = new FlakyTelemetryStore();
  private final SeriesKey cpu = SeriesKey.of("cpu");

  /** Batches of 100, flushed after 1 s, 1 000 points of buffer, backoff 1 s doubling to 8 s. */
  private TelemetryWriter writer(long bufferPoints) {
    WriterConfig config =
        new WriterConfig(
            100, Duration.ofSeconds(1), bufferPoints, Duration.ofSeconds(1), Duration.ofSeconds(8));
    return new TelemetryWriter(store, registry, config, clock);
  }

  /** {@code count} points numbered from {@code first}: timestamp START + n, value n. */
  private PointBatch points(int first, int count) {
    PointBatch batch = new PointBatch(count);
    int id = registry.intern(cpu);
    for (int n = first; n < first + count; n++) {
      batch.add(id, START + n, n);
    }
    return batch;
  }

  private void assertWrittenInOrder(int count) {
    assertThat(store.appended()).hasSize(count);
    for (int n = 0; n < count; n++) {
      assertThat(store.appended().get(n).value()).isEqualTo(n);
    }
  }

  @Test
  void full_batches_are_written_at_once_and_the_rest_after_the_flush_interval() {
    TelemetryWriter writer = writer(1_000);
    writer.offer(points(0, 250));

    assertThat(writer.writeDue()).isEqualTo(200);
    assertThat(store.batchSizes()).containsExactly(100, 100);

    clock.advance(999);
    assertThat(writer.writeDue()).isZero();
    clock.advance(1);
    assertThat(writer.writeDue()).isEqualTo(50);
    assertWrittenInOrder(250);
    assertThat(writer.health()).isEqualTo(new WriterHealth(WriterStatus.UP, 0, 0, 250, 0, null));
  }

  @Test
  void the_caller_keeps_its_batch() {
    TelemetryWriter writer = writer(1_000);
    PointBatch batch = points(0, 100);
    writer.offer(batch);
    batch.clear();
    batch.add(registry.intern(cpu), 0, -1);

    writer.writeDue();

    assertWrittenInOrder(100);
  }

  @Test
  void an_outage_buffers_retries_with_backoff_and_recovers_without_loss() {
    TelemetryWriter writer = writer(1_000);
    store.goDown();
    writer.offer(points(0, 300));

    assertThat(writer.writeDue()).isZero();
    WriterHealth failing = writer.health();
    assertThat(failing.status()).isEqualTo(WriterStatus.DEGRADED);
    assertThat(failing.bufferedPoints()).isEqualTo(300);
    assertThat(failing.consecutiveFailures()).isEqualTo(1);
    assertThat(failing.lastError()).contains("store unreachable");

    // Backoff 1 s, then 2 s, then 4 s: no attempt before each is over.
    int attempts = store.attempts();
    clock.advance(999);
    writer.writeDue();
    assertThat(store.attempts()).isEqualTo(attempts);
    clock.advance(1);
    writer.writeDue();
    assertThat(store.attempts()).isEqualTo(attempts + 1);
    clock.advance(1_999);
    writer.writeDue();
    assertThat(store.attempts()).isEqualTo(attempts + 1);
    clock.advance(1);
    writer.writeDue();
    assertThat(store.attempts()).isEqualTo(attempts + 2);
    assertThat(writer.health().consecutiveFailures()).isEqualTo(3);

    writer.offer(points(300, 200)); // keeps queueing behind the failed batch
    store.recover();
    clock.advance(4_000);
    assertThat(writer.writeDue()).isEqualTo(500);

    assertWrittenInOrder(500);
    assertThat(writer.health())
        .isEqualTo(new WriterHealth(WriterStatus.UP, 0, 0, 500, 0, "store unreachable (test)"));
  }

  @Test
  void backoff_stops_doubling_at_the_maximum() {
    TelemetryWriter writer = writer(1_000);
    store.goDown();
    writer.offer(points(0, 100));
    for (long backoff : new long[] {1_000, 2_000, 4_000, 8_000, 8_000}) {
      writer.writeDue();
      int attempts = store.attempts();
      clock.advance(backoff - 1);
      writer.writeDue();
      assertThat(store.attempts()).isEqualTo(attempts);
      clock.advance(1);
    }
  }

  @Test
  void beyond_the_buffer_new_points_are_dropped_and_counted() {
    TelemetryWriter writer = writer(500);
    store.goDown();
    writer.offer(points(0, 400));
    writer.writeDue();
    writer.offer(points(400, 300));

    WriterHealth full = writer.health();
    assertThat(full.bufferedPoints()).isEqualTo(500);
    assertThat(full.droppedPoints()).isEqualTo(200);
    assertThat(full.status()).isEqualTo(WriterStatus.DEGRADED);

    store.recover();
    clock.advance(Duration.ofSeconds(2));
    writer.writeDue();

    assertWrittenInOrder(500); // the oldest 500 survive, in order
    assertThat(writer.health().droppedPoints()).isEqualTo(200);
    assertThat(writer.health().status()).isEqualTo(WriterStatus.UP);
  }

  @Test
  void settled_waits_for_every_point_offered_before_it_to_be_written() {
    TelemetryWriter writer = writer(1_000);
    assertThat(writer.settled()).isCompleted();

    writer.offer(points(0, 150));
    var first = writer.settled();
    writer.offer(points(150, 100));
    var second = writer.settled();
    assertThat(first).isNotDone();

    writer.writeDue(); // two full batches: 200 of the 250 are in the store, 50 wait to be flushed
    assertThat(first).isCompleted();
    assertThat(second).isNotDone();
    clock.advance(1_000);
    writer.writeDue();
    assertThat(second).isCompleted();
    assertWrittenInOrder(250);
  }

  @Test
  void settled_completes_at_close_for_points_that_could_only_be_dropped() {
    store.goDown();
    TelemetryWriter writer = writer(1_000);
    writer.offer(points(0, 50));
    var settled = writer.settled();
    writer.writeDue();
    assertThat(settled).isNotDone();

    writer.close();
    assertThat(settled).isCompleted();
    assertThat(writer.health().droppedPoints()).isEqualTo(50);
  }

  @Test
  void close_writes_what_is_held_and_counts_what_it_cannot() {
    TelemetryWriter healthy = writer(1_000);
    healthy.offer(points(0, 150));
    healthy.close();
    assertWrittenInOrder(150);
    healthy.offer(points(150, 10));
    assertThat(healthy.health().droppedPoints()).isEqualTo(10);

    FlakyTelemetryStore down = new FlakyTelemetryStore();
    down.goDown();
    TelemetryWriter failing = new TelemetryWriter(down, registry, WriterConfig.defaults(), clock);
    failing.offer(points(0, 150));
    failing.close();
    assertThat(failing.health().droppedPoints()).isEqualTo(150);
    assertThat(failing.health().bufferedPoints()).isZero();
  }

  @Test
  void the_thread_writes_on_its_own_and_recovers() throws Exception {
    WriterConfig config =
        new WriterConfig(
            100, Duration.ofMillis(20), 10_000, Duration.ofMillis(10), Duration.ofMillis(40));
    TelemetryWriter writer = new TelemetryWriter(store, registry, config, Clock.systemUTC());
    writer.start();
    store.failNext(3);
    writer.offer(points(0, 250));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.appended().size() < 250 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    writer.close();

    assertWrittenInOrder(250);
    assertThat(store.attempts()).isGreaterThanOrEqualTo(3 + 3);
    assertThat(writer.health().status()).isEqualTo(WriterStatus.UP);
  }

  @Test
  void offering_never_waits_for_a_hanging_store() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    store.stall(entered, release); // as a stalled network write would
    TelemetryWriter writer =
        new TelemetryWriter(store, registry, writerConfig(), Clock.systemUTC());
    writer.start();
    writer.offer(points(0, 100));
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    long started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      writer.offer(points(100 + i * 100, 100));
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(tookMillis).isLessThan(1_000);
    assertThat(writer.health().bufferedPoints()).isEqualTo(5_100);
    release.countDown();
    writer.close();
    assertThat(store.appended()).hasSize(5_100);
  }

  private static WriterConfig writerConfig() {
    return new WriterConfig(
        100, Duration.ofMillis(20), 100_000, Duration.ofMillis(10), Duration.ofMillis(40));
  }
}
