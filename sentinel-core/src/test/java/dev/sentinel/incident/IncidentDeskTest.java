package dev.sentinel.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.ingest.SeriesKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IncidentDeskTest {

  private final List<Anomaly> correlated = new CopyOnWriteArrayList<>();

  private static Anomaly anomaly(String service, long at) {
    return new Anomaly(
        SeriesKey.of("latency_ms", Map.of("service", service)),
        at,
        900,
        100,
        200,
        5,
        0.9,
        Direction.UP,
        Set.of(DetectorKind.ZSCORE));
  }

  @Test
  void anomalies_are_correlated_in_the_order_detection_found_them() throws Exception {
    try (IncidentDesk desk =
        new IncidentDesk(DeskConfig.defaults(), correlated::add, Clock.systemUTC()).start()) {
      for (int i = 0; i < 100; i++) {
        desk.accept(anomaly("svc-" + (i % 7), i));
      }
      assertThat(desk.drain(5_000)).isTrue();
      assertThat(correlated).extracting(Anomaly::timestampMillis).isSorted().hasSize(100);
      assertThat(desk.stats().correlated()).isEqualTo(100);
      assertThat(desk.stats().held()).isZero();
    }
  }

  @Test
  void anomalies_found_in_back_filled_history_are_counted_and_open_nothing() throws Exception {
    try (IncidentDesk desk =
        new IncidentDesk(DeskConfig.defaults(), correlated::add, Clock.systemUTC()).start()) {
      desk.accept(anomaly("before-any-horizon", 10));
      desk.historyBefore(1_000);
      desk.accept(anomaly("back-filled", 999));
      desk.historyBefore(500); // the horizon never moves back
      desk.accept(anomaly("still-history", 600));
      desk.accept(anomaly("live", 1_000));
      assertThat(desk.drain(5_000)).isTrue();
      assertThat(correlated)
          .extracting(a -> a.series().label("service"))
          .containsExactly("before-any-horizon", "live");
      assertThat(desk.stats().history()).isEqualTo(2);
      assertThat(desk.stats().correlated()).isEqualTo(2);
    }
  }

  @Test
  void a_full_desk_merges_older_anomalies_of_a_series_first_then_sheds_and_counts()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (IncidentDesk desk =
        new IncidentDesk(
                new DeskConfig(10, 1_000, 600),
                anomaly -> {
                  awaitQuietly(release);
                  correlated.add(anomaly);
                },
                Clock.systemUTC())
            .start()) {
      // The first is taken by the desk thread and blocks it; ten more fill the queue, two series.
      desk.accept(anomaly("first", 0));
      waitUntil(() -> desk.stats().held() == 1 && correlatedCountIsBlocked(desk));
      for (int i = 1; i <= 9; i++) {
        desk.accept(anomaly(i % 2 == 0 ? "a" : "b", i));
      }
      assertThat(desk.stats().held()).isEqualTo(10);
      // Full: merging keeps the newest of "a" and of "b" (and the blocked head of "first").
      desk.accept(anomaly("c", 10));
      IncidentDesk.Stats afterMerge = desk.stats();
      assertThat(afterMerge.merged()).isEqualTo(7);
      assertThat(afterMerge.held()).isEqualTo(4);
      assertThat(afterMerge.shed()).isZero();
      // Fill with distinct series until nothing can merge: the rest is shed, counted.
      for (int i = 0; i < 10; i++) {
        desk.accept(anomaly("distinct-" + i, 20 + i));
      }
      IncidentDesk.Stats full = desk.stats();
      assertThat(full.held()).isEqualTo(10);
      assertThat(full.shed()).isEqualTo(4);
      assertThat(full.accepted()).isEqualTo(1 + 9 + 1 + 6);
      release.countDown();
      assertThat(desk.drain(5_000)).isTrue();
      assertThat(correlated)
          .extracting(a -> a.series().label("service"))
          .containsExactly(
              "first",
              "a",
              "b",
              "c",
              "distinct-0",
              "distinct-1",
              "distinct-2",
              "distinct-3",
              "distinct-4",
              "distinct-5");
    }
  }

  @Test
  void accept_never_blocks_nor_throws_while_correlation_is_stuck() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (IncidentDesk desk =
        new IncidentDesk(
                new DeskConfig(100, 1_000, 600),
                anomaly -> awaitQuietly(release),
                Clock.systemUTC())
            .start()) {
      long started = System.nanoTime();
      for (int i = 0; i < 100_000; i++) {
        desk.accept(anomaly("svc-" + i, i));
      }
      // A generous bound: a blocking offer would wait forever, not a few seconds.
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
      assertThat(desk.stats().held()).isEqualTo(100);
      assertThat(desk.stats().shed()).isEqualTo(100_000 - 100);
      release.countDown();
    }
  }

  @Test
  void a_failing_store_holds_the_anomalies_and_they_are_correlated_once_it_is_back()
      throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicLong tries = new AtomicLong();
    try (IncidentDesk desk =
        new IncidentDesk(
                new DeskConfig(1_000, 20, 600),
                anomaly -> {
                  tries.incrementAndGet();
                  if (down.get()) {
                    throw new IllegalStateException("connection refused");
                  }
                  correlated.add(anomaly);
                },
                Clock.systemUTC())
            .start()) {
      for (int i = 0; i < 50; i++) {
        desk.accept(anomaly("svc-" + i, i));
      }
      waitUntil(() -> tries.get() >= 5);
      IncidentDesk.Stats outage = desk.stats();
      assertThat(outage.failing()).isTrue();
      assertThat(outage.lastError()).isEqualTo("connection refused");
      assertThat(outage.held()).isEqualTo(50);
      assertThat(correlated).isEmpty();

      down.set(false);
      assertThat(desk.drain(5_000)).isTrue();
      assertThat(correlated).hasSize(50);
      assertThat(correlated).extracting(Anomaly::timestampMillis).isSorted();
      assertThat(desk.stats().failing()).isFalse();
      assertThat(desk.stats().abandoned()).isZero();
    }
  }

  @Test
  void an_anomaly_that_fails_past_the_give_up_time_is_dropped_and_counted() throws Exception {
    MovableClock clock = new MovableClock();
    try (IncidentDesk desk =
        new IncidentDesk(
                new DeskConfig(100, 10, 60),
                anomaly -> {
                  if (anomaly.series().label("service").equals("poison")) {
                    throw new IllegalArgumentException("always refused");
                  }
                  correlated.add(anomaly);
                },
                clock)
            .start()) {
      desk.accept(anomaly("poison", 0));
      desk.accept(anomaly("fine", 1));
      waitUntil(() -> desk.stats().failures() >= 2);
      assertThat(correlated).isEmpty();
      clock.advanceSeconds(61);
      assertThat(desk.drain(5_000)).isTrue();
      assertThat(correlated).extracting(a -> a.series().label("service")).containsExactly("fine");
      assertThat(desk.stats().abandoned()).isEqualTo(1);
    }
  }

  private static boolean correlatedCountIsBlocked(IncidentDesk desk) {
    return desk.stats().correlated() == 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(5);
    }
  }

  private static final class MovableClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_000_000);

    void advanceSeconds(long seconds) {
      millis.addAndGet(seconds * 1000);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
