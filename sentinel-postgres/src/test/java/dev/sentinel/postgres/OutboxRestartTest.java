package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.DeliveryWorker;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifications;
import dev.sentinel.notify.Notifier;
import dev.sentinel.notify.RetryPolicy;
import dev.sentinel.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A restart with deliveries pending — queued and never tried, failed once and waiting for a retry,
 * claimed by a worker that died before it could record the outcome — loses none of them: the
 * bundled PostgreSQL is stopped and started again on the same data directory, and a new worker
 * delivers all three.
 */
class OutboxRestartTest {

  static final class Receiver implements Notifier {
    final List<Notification> received = new ArrayList<>();
    boolean down;

    @Override
    public String channel() {
      return "webhook";
    }

    @Override
    public boolean wants(Notification notification) {
      return true;
    }

    @Override
    public DeliveryResult deliver(Notification notification) {
      if (down) {
        return new DeliveryResult.Transient("connection refused", 0);
      }
      received.add(notification);
      return new DeliveryResult.Sent("200");
    }
  }

  @Test
  void a_restart_during_pending_deliveries_loses_nothing() throws Exception {
    Path dir = Files.createTempDirectory("sentinel-outbox-restart");
    ManualClock clock = new ManualClock(1_000_000);
    Notification queued = new Notification.IncidentOpened("inc-1", 1, "api", "HIGH", "queued");
    Notification retrying = new Notification.IncidentResolved("inc-2", 2, "retrying");
    Notification inFlight = new Notification.IncidentResolved("inc-3", 3, "claimed, then a crash");
    RetryPolicy policy = new RetryPolicy(5, 1_000, 1_000);
    Receiver before = new Receiver();
    before.down = true;

    try (PostgresDatabase database = PostgresDatabase.open(PostgresConfig.defaults(), dir)) {
      PostgresOutbox outbox = new PostgresOutbox(database.dataSource());
      Notifications notifications = new Notifications(outbox, List.of(before), clock);
      notifications.publish(retrying);
      new DeliveryWorker(
              outbox,
              List.of(before),
              policy,
              new InMemoryAuditTrail(),
              clock,
              new SplittableRandom(1),
              30_000,
              10)
          .runOnce();
      notifications.publish(inFlight);
      // A worker claims it and dies before recording anything.
      assertThat(outbox.claim(clock.millis(), 1, 30_000)).hasSize(1);
      notifications.publish(queued);
      assertThat(outbox.counts()).containsEntry("pending", 3L);
    }

    clock.advance(30_000);
    Receiver after = new Receiver();
    try (PostgresDatabase database = PostgresDatabase.open(PostgresConfig.defaults(), dir)) {
      PostgresOutbox outbox = new PostgresOutbox(database.dataSource());
      DeliveryWorker worker =
          new DeliveryWorker(
              outbox,
              List.of(after),
              policy,
              new InMemoryAuditTrail(),
              clock,
              new SplittableRandom(1),
              30_000,
              10);

      assertThat(worker.runOnce()).isEqualTo(3);

      assertThat(after.received).containsExactlyInAnyOrder(queued, retrying, inFlight);
      assertThat(outbox.counts()).containsEntry("pending", 0L).containsEntry("delivered", 3L);
    }
  }
}
