package dev.sentinel.notify;

import java.util.List;
import java.util.Map;

/**
 * The durable queue of notifications still owed to their channels. A notification is written here
 * on the thread that caused it (one row per channel) and delivered later by the {@link
 * DeliveryWorker}, so a slow or dead receiver never holds up the workflow, and a restart loses
 * nothing that was written.
 *
 * <p>Thread-safe; the PostgreSQL adapter is also safe across instances sharing one database: a
 * claimed delivery is leased to one worker until the lease runs out.
 */
public interface Outbox {

  /** Stores one pending delivery per channel, due at once. */
  void enqueue(Notification notification, List<String> channels, long nowMillis);

  /**
   * Claims up to {@code limit} pending deliveries due at {@code nowMillis}, oldest first, for
   * {@code leaseMillis}: nobody else claims them until then, and if the claimer dies without an
   * outcome they come due again (which is what makes a crash mid-delivery lose nothing).
   */
  List<Delivery> claim(long nowMillis, int limit, long leaseMillis);

  /** The delivery succeeded; it will not be claimed again. */
  void delivered(long id, int attempts, long atMillis);

  /** The attempt failed but may succeed later: due again at {@code dueAtMillis}. */
  void retry(long id, int attempts, long dueAtMillis, String error);

  /** Given up: retries are exhausted or the receiver refused it for good. */
  void failed(long id, int attempts, long atMillis, String error);

  /** How many deliveries are pending, delivered and failed: {@code {pending: 2, ...}}. */
  Map<String, Long> counts();
}
