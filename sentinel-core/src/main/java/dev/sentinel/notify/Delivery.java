package dev.sentinel.notify;

import java.util.Objects;

/**
 * One notification owed to one channel, as the outbox holds it.
 *
 * @param attempts how many attempts were made before this one
 * @param dueAtMillis when the next attempt is due
 */
public record Delivery(
    long id, String channel, Notification notification, int attempts, long dueAtMillis) {

  public Delivery {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(notification, "notification");
  }
}
