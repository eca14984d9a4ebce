package dev.sentinel.notify;

/**
 * Tells people about incidents on one channel (Slack, PagerDuty, a webhook, the log). Called only
 * by the {@link DeliveryWorker}, never on a workflow thread, one notification at a time per
 * notifier.
 *
 * <p>Delivery is at least once: after a crash between the receiver's answer and the outbox's
 * update, the same notification is delivered again. Receivers are given the incident id (and
 * PagerDuty its dedup key) to recognise repeats.
 */
public interface Notifier {

  /** The channel's name, unique among the configured notifiers: the outbox keys rows by it. */
  String channel();

  /** Whether this channel takes notifications of this kind (PagerDuty ignores some, say). */
  boolean wants(Notification notification);

  /**
   * One attempt to deliver; must not throw: any failure is a {@link DeliveryResult.Transient} or
   * {@link DeliveryResult.Permanent}. May block for the channel's timeout.
   */
  DeliveryResult deliver(Notification notification);
}
