package dev.sentinel.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every outbox does; each adapter's test extends this. */
public abstract class OutboxContract {

  /** A fresh, empty outbox (or a second view of the same store after {@link #reopen}). */
  protected abstract Outbox outbox();

  /** The same store as a new process would see it: what was written must still be there. */
  protected abstract Outbox reopen();

  protected static final Notification OPENED =
      new Notification.IncidentOpened("inc-1", 1_000, "checkout", "HIGH", "latency up");

  @Test
  void enqueued_deliveries_are_claimed_once_per_channel_with_their_notification() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("slack", "pagerduty"), 1_000);

    List<Delivery> claimed = outbox.claim(1_000, 10, 30_000);

    assertThat(claimed)
        .extracting(Delivery::channel)
        .containsExactlyInAnyOrder("slack", "pagerduty");
    assertThat(claimed).allSatisfy(d -> assertThat(d.notification()).isEqualTo(OPENED));
    assertThat(claimed).allSatisfy(d -> assertThat(d.attempts()).isZero());
  }

  @Test
  void a_claimed_delivery_is_leased_and_comes_back_when_the_lease_runs_out() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("slack"), 1_000);
    assertThat(outbox.claim(1_000, 10, 30_000)).hasSize(1);

    assertThat(outbox.claim(20_000, 10, 30_000)).isEmpty();
    assertThat(outbox.claim(31_000, 10, 30_000)).hasSize(1);
  }

  @Test
  void a_delivered_delivery_is_never_claimed_again() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("slack"), 1_000);
    Delivery delivery = outbox.claim(1_000, 10, 30_000).getFirst();

    outbox.delivered(delivery.id(), 1, 1_500);

    assertThat(outbox.claim(1_000_000, 10, 30_000)).isEmpty();
    assertThat(outbox.counts()).containsEntry("delivered", 1L).containsEntry("pending", 0L);
  }

  @Test
  void a_retried_delivery_comes_due_at_its_time_with_its_attempts() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("slack"), 1_000);
    Delivery delivery = outbox.claim(1_000, 10, 30_000).getFirst();

    outbox.retry(delivery.id(), 1, 5_000, "503");

    assertThat(outbox.claim(4_999, 10, 30_000)).isEmpty();
    Delivery again = outbox.claim(5_000, 10, 30_000).getFirst();
    assertThat(again.id()).isEqualTo(delivery.id());
    assertThat(again.attempts()).isEqualTo(1);
  }

  @Test
  void a_failed_delivery_is_kept_and_counted_but_not_claimed() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("slack"), 1_000);
    Delivery delivery = outbox.claim(1_000, 10, 30_000).getFirst();

    outbox.failed(delivery.id(), 3, 2_000, "404");

    assertThat(outbox.claim(1_000_000, 10, 30_000)).isEmpty();
    assertThat(outbox.counts()).containsEntry("failed", 1L);
  }

  @Test
  void old_finished_deliveries_are_forgotten_and_pending_ones_never() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("delivered", "failed", "pending"), 1_000);
    for (Delivery delivery : outbox.claim(1_000, 10, 30_000)) {
      switch (delivery.channel()) {
        case "delivered" -> outbox.delivered(delivery.id(), 1, 2_000);
        case "failed" -> outbox.failed(delivery.id(), 1, 5_000, "410");
        default -> {}
      }
    }

    assertThat(outbox.forget(3_000)).isEqualTo(1);
    assertThat(outbox.forget(1_000_000)).isEqualTo(1);
    assertThat(outbox.counts()).isEqualTo(Map.of("pending", 1L, "delivered", 0L, "failed", 0L));
  }

  @Test
  void claims_take_the_oldest_first_and_respect_the_limit() {
    Outbox outbox = outbox();
    outbox.enqueue(OPENED, List.of("a"), 3_000);
    outbox.enqueue(OPENED, List.of("b"), 1_000);
    outbox.enqueue(OPENED, List.of("c"), 2_000);

    assertThat(outbox.claim(5_000, 2, 30_000))
        .extracting(Delivery::channel)
        .containsExactly("b", "c");
  }

  @Test
  void every_kind_of_notification_survives_a_reopen_intact() {
    Outbox outbox = outbox();
    List<Notification> all =
        List.of(
            OPENED,
            new Notification.IncidentUpdated("inc-1", 2_000, "approved", "alice", "approved: go"),
            new Notification.IncidentResolved("inc-1", 3_000, "recovered"),
            new Notification.ApprovalNeeded(
                "inc-1",
                4_000,
                "db",
                "CRITICAL",
                "restart db",
                "restart db (HIGH)",
                "HIGH",
                "risk HIGH is above LOW"));
    for (Notification notification : all) {
      outbox.enqueue(notification, List.of("webhook"), 1_000);
    }

    List<Delivery> claimed = reopen().claim(1_000, 10, 30_000);

    assertThat(claimed).extracting(Delivery::notification).containsExactlyInAnyOrderElementsOf(all);
    assertThat(reopen().counts()).isEqualTo(Map.of("pending", 4L, "delivered", 0L, "failed", 0L));
  }
}
