package dev.sentinel.app.notify;

import dev.sentinel.notify.DeliveryWorker;
import dev.sentinel.notify.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The notifications' meters: {@code sentinel_notifications_total{channel,outcome}} per delivery
 * attempt ({@code delivered}, {@code retried}, {@code failed}), and {@code
 * sentinel_notifications_outbox{status}}, read from the outbox at each scrape.
 */
public final class NotificationMeters implements DeliveryWorker.Outcomes {

  private final MeterRegistry meters;

  public NotificationMeters(MeterRegistry meters, Outbox outbox) {
    this.meters = meters;
    for (String status : new String[] {"pending", "delivered", "failed"}) {
      Gauge.builder(
              "sentinel.notifications.outbox", outbox, box -> box.counts().getOrDefault(status, 0L))
          .description("Notifications in the outbox by status (finished ones are kept a week)")
          .tag("status", status)
          .register(meters);
    }
  }

  @Override
  public void attempted(String channel, String outcome) {
    Counter.builder("sentinel.notifications")
        .description("Notification delivery attempts by channel and outcome")
        .tag("channel", channel)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }
}
