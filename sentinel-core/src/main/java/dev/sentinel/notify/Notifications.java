package dev.sentinel.notify;

import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the rest of Sentinel hands notifications: it writes one outbox row per channel that wants
 * the notification and returns. Delivery happens later, on the {@link DeliveryWorker}'s thread.
 */
public final class Notifications {

  private static final Logger log = LoggerFactory.getLogger(Notifications.class);

  /** Publishes nothing: no channel is configured. */
  public static final Notifications NONE = new Notifications(null, List.of(), Clock.systemUTC());

  private final Outbox outbox;
  private final List<Notifier> notifiers;
  private final Clock clock;

  public Notifications(Outbox outbox, List<Notifier> notifiers, Clock clock) {
    this.outbox = outbox;
    this.notifiers = List.copyOf(notifiers);
    this.clock = clock;
  }

  /**
   * Queues the notification for every channel that wants it. Never throws: a failure to queue is
   * logged with the incident id, because telling people must not stop the work on the incident.
   */
  public void publish(Notification notification) {
    if (notifiers.isEmpty()) {
      return;
    }
    List<String> channels =
        notifiers.stream().filter(n -> n.wants(notification)).map(Notifier::channel).toList();
    if (channels.isEmpty()) {
      return;
    }
    try {
      outbox.enqueue(notification, channels, clock.millis());
    } catch (RuntimeException e) {
      log.error(
          "could not queue {} of incident {} for {}",
          notification.kind(),
          notification.incidentId(),
          channels,
          e);
    }
  }
}
