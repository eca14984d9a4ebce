package dev.sentinel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessTelemetryBusTest {

  private static PointBatch batch(int... seriesIds) {
    PointBatch batch = new PointBatch(4);
    for (int id : seriesIds) {
      batch.add(id, 1_700_000_000_000L + id, id * 1.5);
    }
    return batch;
  }

  @Test
  void every_series_lands_on_one_partition_in_order() throws Exception {
    List<List<Integer>> seen = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      seen.add(Collections.synchronizedList(new ArrayList<>()));
    }
    CountDownLatch done = new CountDownLatch(9);
    try (InProcessTelemetryBus bus =
        new InProcessTelemetryBus(
            3,
            100,
            partition ->
                batch -> {
                  for (int i = 0; i < batch.size(); i++) {
                    seen.get(partition).add(batch.seriesId(i));
                    done.countDown();
                  }
                })) {
      assertThat(bus.tryPublish(batch(0, 1, 2, 3, 4, 5))).isTrue();
      assertThat(bus.tryPublish(batch(6, 7, 8))).isTrue();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen.get(0)).containsExactly(0, 3, 6);
    assertThat(seen.get(1)).containsExactly(1, 4, 7);
    assertThat(seen.get(2)).containsExactly(2, 5, 8);
  }

  @Test
  void a_full_bus_refuses_the_whole_batch_and_takes_it_once_drained() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch consumed = new CountDownLatch(2);
    try (InProcessTelemetryBus bus =
        new InProcessTelemetryBus(
            1,
            4,
            partition ->
                batch -> {
                  awaitQuietly(release);
                  consumed.countDown();
                })) {
      assertThat(bus.tryPublish(batch(1, 2, 3))).isTrue();
      assertThat(bus.queuedPoints()).isEqualTo(3);
      assertThat(bus.tryPublish(batch(4, 5))).as("2 more points exceed the budget of 4").isFalse();
      assertThat(bus.queuedPoints()).as("a refused batch takes nothing").isEqualTo(3);
      release.countDown();
      bus.publish(batch(4, 5));
      assertThat(consumed.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void a_batch_built_on_admission_is_built_only_when_the_bus_has_room() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (InProcessTelemetryBus bus =
        new InProcessTelemetryBus(1, 4, partition -> batch -> awaitQuietly(release))) {
      List<String> built = new ArrayList<>();
      assertThat(bus.tryPublish(3, () -> record(built, "first", batch(1, 2, 3)))).isTrue();
      assertThat(bus.tryPublish(2, () -> record(built, "refused", batch(4, 5)))).isFalse();
      assertThat(built).as("a refused batch is never built").containsExactly("first");
      assertThatThrownBy(() -> bus.tryPublish(1, () -> batch(6, 7)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("built for 1 points holds 2");
      assertThat(bus.queuedPoints()).as("a wrongly built batch gives its room back").isEqualTo(3);
      release.countDown();
    }
  }

  private static PointBatch record(List<String> built, String name, PointBatch batch) {
    built.add(name);
    return batch;
  }

  @Test
  void consumed_completes_only_once_every_partition_has_consumed_what_came_before()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> consumedIds = Collections.synchronizedList(new ArrayList<>());
    try (InProcessTelemetryBus bus =
        new InProcessTelemetryBus(
            2,
            100,
            partition ->
                batch -> {
                  if (partition == 1) {
                    awaitQuietly(release); // partition 1 is slow
                  }
                  for (int i = 0; i < batch.size(); i++) {
                    consumedIds.add(batch.seriesId(i));
                  }
                })) {
      bus.publish(batch(0, 1, 2, 3));
      var consumed = bus.consumed();
      Thread.sleep(100);
      assertThat(consumed).isNotDone();

      release.countDown();
      consumed.get(5, TimeUnit.SECONDS);
      assertThat(consumedIds).containsExactlyInAnyOrder(0, 1, 2, 3);
    }
  }

  @Test
  void work_on_a_partition_runs_on_its_thread_between_the_batches_queued_before_and_after()
      throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = new CountDownLatch(1);
    try (InProcessTelemetryBus bus =
        new InProcessTelemetryBus(
            2,
            100,
            partition ->
                batch -> {
                  await(release);
                  order.add(
                      "batch " + batch.seriesId(0) + " on " + Thread.currentThread().getName());
                })) {
      assertThat(bus.tryPublish(batch(1))).isTrue();
      var work =
          bus.onPartition(
              bus.partitionOf(3),
              () -> {
                order.add("work on " + Thread.currentThread().getName());
                return 42;
              });
      assertThat(bus.tryPublish(batch(3))).isTrue();
      assertThat(work).isNotDone();
      release.countDown();
      assertThat(work.get(5, TimeUnit.SECONDS)).isEqualTo(42);
      bus.consumed().get(5, TimeUnit.SECONDS);
      var failing =
          bus.onPartition(
              0,
              () -> {
                throw new IllegalStateException("broken");
              });
      assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("broken");
    }
    assertThat(order)
        .containsExactly(
            "batch 1 on sentinel-partition-1",
            "work on sentinel-partition-1",
            "batch 3 on sentinel-partition-1");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void a_batch_larger_than_the_budget_is_refused_with_a_reason() {
    try (InProcessTelemetryBus bus = new InProcessTelemetryBus(1, 2, partition -> batch -> {})) {
      assertThatThrownBy(() -> bus.tryPublish(batch(1, 2, 3)))
          .isInstanceOf(BatchTooLargeException.class)
          .hasMessageContaining("3 points exceeds the pipeline capacity of 2");
    }
  }

  @Test
  void a_failing_consumer_is_counted_and_frees_its_budget() throws Exception {
    try (InProcessTelemetryBus bus =
        new InProcessTelemetryBus(
            1,
            10,
            partition ->
                batch -> {
                  throw new IllegalStateException("boom");
                })) {
      bus.publish(batch(1, 2));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (bus.consumerFailures() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(bus.consumerFailures()).isEqualTo(1);
      assertThat(bus.queuedPoints()).isZero();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
