package dev.sentinel.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.testing.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {

  /** A notifier that answers from a script, then "sent" once the script is used up. */
  static final class ScriptedNotifier implements Notifier {
    final Deque<DeliveryResult> script = new ArrayDeque<>();
    final List<Notification> received = new ArrayList<>();

    @Override
    public String channel() {
      return "test";
    }

    @Override
    public boolean wants(Notification notification) {
      return true;
    }

    @Override
    public DeliveryResult deliver(Notification notification) {
      received.add(notification);
      return script.isEmpty() ? new DeliveryResult.Sent("200") : script.poll();
    }
  }

  private final ManualClock clock = new ManualClock(1_000_000);
  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final ScriptedNotifier notifier = new ScriptedNotifier();
  private final RetryPolicy policy = new RetryPolicy(4, 1_000, 10_000);
  private final DeliveryWorker worker =
      new DeliveryWorker(
          outbox, List.of(notifier), policy, audit, clock, new SplittableRandom(1), 30_000, 10);
  private final Notifications notifications = new Notifications(outbox, List.of(notifier), clock);

  private static final Notification OPENED =
      new Notification.IncidentOpened("inc-1", 1, "api", "HIGH", "errors up");

  @Test
  void a_transient_failure_is_retried_after_a_backoff_then_delivered_and_audited() {
    notifier.script.add(new DeliveryResult.Transient("503", 0));
    notifier.script.add(new DeliveryResult.Transient("503", 0));
    notifications.publish(OPENED);

    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(worker.runOnce()).as("not due before its backoff").isZero();
    clock.advance(1_000);
    assertThat(worker.runOnce()).as("first retry: 0.5..1 s later").isEqualTo(1);
    clock.advance(1_000);
    assertThat(worker.runOnce()).as("second backoff is 1..2 s").isZero();
    clock.advance(1_000);
    assertThat(worker.runOnce()).isEqualTo(1);

    assertThat(notifier.received).hasSize(3).containsOnly(OPENED);
    assertThat(outbox.counts()).containsEntry("delivered", 1L).containsEntry("pending", 0L);
    List<AuditEntry> audited = audit.find(AuditQuery.all(100));
    assertThat(audited).hasSize(1);
    assertThat(audited.getFirst().record().action()).isEqualTo(AuditAction.NOTIFICATION_DELIVERED);
    assertThat(audited.getFirst().record().details())
        .containsEntry("attempts", "3")
        .containsEntry("channel", "test");
  }

  @Test
  void delivery_gives_up_after_the_bounded_attempts_and_audits_the_failure() {
    for (int i = 0; i < 10; i++) {
      notifier.script.add(new DeliveryResult.Transient("connection refused", 0));
    }
    notifications.publish(OPENED);

    for (int round = 0; round < 20; round++) {
      worker.runOnce();
      clock.advance(10_000);
    }

    assertThat(notifier.received).hasSize(4);
    assertThat(outbox.counts()).containsEntry("failed", 1L).containsEntry("pending", 0L);
    AuditEntry failed = audit.find(AuditQuery.all(100)).getFirst();
    assertThat(failed.record().action()).isEqualTo(AuditAction.NOTIFICATION_FAILED);
    assertThat(failed.record().details()).containsEntry("detail", "connection refused");
  }

  @Test
  void finished_deliveries_are_pruned_after_a_week() {
    notifications.publish(OPENED);
    worker.runOnce();
    assertThat(outbox.counts()).containsEntry("delivered", 1L);

    clock.advance(DeliveryWorker.KEEP_FINISHED_MILLIS + 3_600_000);
    worker.runOnce();

    assertThat(outbox.counts()).containsEntry("delivered", 0L);
  }

  @Test
  void every_attempts_outcome_is_told_for_metrics() {
    List<String> told = new ArrayList<>();
    DeliveryWorker counted =
        new DeliveryWorker(
            outbox,
            List.of(notifier),
            new RetryPolicy(2, 1_000, 1_000),
            audit,
            clock,
            new SplittableRandom(1),
            30_000,
            10,
            (channel, outcome) -> told.add(channel + " " + outcome));
    notifier.script.add(new DeliveryResult.Transient("503", 0));
    notifier.script.add(new DeliveryResult.Transient("503", 0));
    notifications.publish(OPENED);
    notifications.publish(OPENED);

    counted.runOnce();
    clock.advance(1_000);
    counted.runOnce();

    assertThat(told)
        .containsExactly("test retried", "test retried", "test delivered", "test delivered");
  }

  @Test
  void a_permanent_refusal_is_not_retried() {
    notifier.script.add(new DeliveryResult.Permanent("HTTP 400: invalid_payload"));
    notifications.publish(OPENED);

    worker.runOnce();
    clock.advance(100_000);
    worker.runOnce();

    assertThat(notifier.received).hasSize(1);
    assertThat(outbox.counts()).containsEntry("failed", 1L);
  }

  @Test
  void a_receivers_retry_after_is_honoured_when_longer_than_the_backoff() {
    notifier.script.add(new DeliveryResult.Transient("429", 20_000));
    notifications.publish(OPENED);

    worker.runOnce();
    clock.advance(19_999);
    assertThat(worker.runOnce()).isZero();
    clock.advance(1);
    assertThat(worker.runOnce()).isEqualTo(1);
  }

  @Test
  void a_notifier_that_throws_counts_as_a_transient_failure() {
    Notifier throwing =
        new Notifier() {
          @Override
          public String channel() {
            return "test";
          }

          @Override
          public boolean wants(Notification notification) {
            return true;
          }

          @Override
          public DeliveryResult deliver(Notification notification) {
            throw new IllegalStateException("boom");
          }
        };
    DeliveryWorker fragile =
        new DeliveryWorker(
            outbox, List.of(throwing), policy, audit, clock, new SplittableRandom(1), 30_000, 10);
    notifications.publish(OPENED);

    fragile.runOnce();

    assertThat(outbox.counts()).containsEntry("pending", 1L);
  }

  @Test
  void publishing_only_queues_for_channels_that_want_the_notification() {
    Notifier picky =
        new Notifier() {
          @Override
          public String channel() {
            return "picky";
          }

          @Override
          public boolean wants(Notification notification) {
            return notification instanceof Notification.IncidentResolved;
          }

          @Override
          public DeliveryResult deliver(Notification notification) {
            return new DeliveryResult.Sent("ok");
          }
        };
    new Notifications(outbox, List.of(notifier, picky), clock).publish(OPENED);

    assertThat(outbox.claim(clock.millis(), 10, 1_000))
        .extracting(Delivery::channel)
        .containsExactly("test");
  }

  @Test
  void every_notification_round_trips_through_its_fields() {
    List<Notification> all =
        List.of(
            OPENED,
            new Notification.IncidentUpdated("inc-1", 2, "rejected", "slack:U1", "no"),
            new Notification.IncidentResolved("inc-1", 3, "recovered"),
            new Notification.ApprovalNeeded("inc-1", 4, "db", "LOW", "p", "s", "HIGH", "r"));
    for (Notification notification : all) {
      assertThat(Notification.fromFields(notification.kind(), notification.fields()))
          .isEqualTo(notification);
    }
  }
}
