package dev.sentinel.notify;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.trace.RequestIds;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox on its own thread: claims due deliveries, hands each to its channel's notifier,
 * and records the outcome — delivered, retried later with backoff, or given up — in the outbox and,
 * for the final outcomes, in the audit trail.
 */
public final class DeliveryWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int BATCH = 50;

  /**
   * Finished deliveries are kept a week (their outcome stays in the audit trail), pruned hourly.
   */
  static final long KEEP_FINISHED_MILLIS = 7L * 24 * 3_600_000;

  private static final long PRUNE_EVERY_MILLIS = 3_600_000;

  private final Outbox outbox;
  private final Map<String, Notifier> notifiers;
  private final RetryPolicy retry;
  private final AuditTrail audit;
  private final Clock clock;
  private final RandomGenerator random;
  private final long leaseMillis;
  private final long pollMillis;
  private final Outcomes outcomes;
  private volatile Thread thread;
  private volatile boolean running;
  private long prunedAtMillis = Long.MIN_VALUE;

  /**
   * Told each attempt's outcome ({@code delivered}, {@code retried}, {@code failed}): for metrics.
   */
  @FunctionalInterface
  public interface Outcomes {
    void attempted(String channel, String outcome);

    Outcomes NONE = (channel, outcome) -> {};
  }

  public DeliveryWorker(
      Outbox outbox,
      List<Notifier> notifiers,
      RetryPolicy retry,
      AuditTrail audit,
      Clock clock,
      RandomGenerator random,
      long leaseMillis,
      long pollMillis) {
    this(outbox, notifiers, retry, audit, clock, random, leaseMillis, pollMillis, Outcomes.NONE);
  }

  /**
   * @param leaseMillis how long a claimed delivery is ours: longer than a notifier's timeout, so
   *     that another instance does not send it a second time while we still try
   */
  public DeliveryWorker(
      Outbox outbox,
      List<Notifier> notifiers,
      RetryPolicy retry,
      AuditTrail audit,
      Clock clock,
      RandomGenerator random,
      long leaseMillis,
      long pollMillis,
      Outcomes outcomes) {
    this.outbox = outbox;
    this.outcomes = outcomes;
    this.notifiers =
        notifiers.stream().collect(Collectors.toMap(Notifier::channel, Function.identity()));
    this.retry = retry;
    this.audit = audit;
    this.clock = clock;
    this.random = random;
    this.leaseMillis = leaseMillis;
    this.pollMillis = pollMillis;
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("sentinel-notify").daemon(true).start(this::loop);
  }

  private void loop() {
    while (running) {
      try {
        if (runOnce() == 0) {
          Thread.sleep(pollMillis);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The state store may be briefly away; the deliveries stay in the outbox meanwhile.
        log.warn("notification delivery round failed; retrying", e);
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** One round: every delivery due now gets one attempt. Returns how many were attempted. */
  public int runOnce() {
    long now = clock.millis();
    if (prunedAtMillis == Long.MIN_VALUE || now - prunedAtMillis >= PRUNE_EVERY_MILLIS) {
      prunedAtMillis = now;
      outbox.forget(now - KEEP_FINISHED_MILLIS);
    }
    List<Delivery> due = outbox.claim(clock.millis(), BATCH, leaseMillis);
    for (Delivery delivery : due) {
      attempt(delivery);
    }
    return due.size();
  }

  /**
   * Sends under the delivery's own request id ({@code notification-<id>}): its log lines carry it,
   * and HTTP notifiers send it as {@code X-Request-ID}, the same on every retry.
   */
  private DeliveryResult sendAs(Notifier notifier, Delivery delivery) {
    try (RequestIds.Scope named = RequestIds.open("notification-" + delivery.id())) {
      return send(notifier, delivery.notification());
    }
  }

  private void attempt(Delivery delivery) {
    Notifier notifier = notifiers.get(delivery.channel());
    int attempts = delivery.attempts() + 1;
    DeliveryResult result =
        notifier == null
            ? new DeliveryResult.Permanent("channel '" + delivery.channel() + "' is not configured")
            : sendAs(notifier, delivery);
    long now = clock.millis();
    switch (result) {
      case DeliveryResult.Sent sent -> {
        outbox.delivered(delivery.id(), attempts, now);
        outcomes.attempted(delivery.channel(), "delivered");
        audit(delivery, AuditAction.NOTIFICATION_DELIVERED, attempts, sent.detail());
      }
      case DeliveryResult.Transient failure when !retry.exhausted(attempts) -> {
        long wait = Math.max(retry.delayAfter(attempts, random), failure.retryAfterMillis());
        outbox.retry(delivery.id(), attempts, now + wait, failure.reason());
        outcomes.attempted(delivery.channel(), "retried");
        log.info(
            "{} of incident {} to {} failed (attempt {}), retrying in {} ms: {}",
            delivery.notification().kind(),
            delivery.notification().incidentId(),
            delivery.channel(),
            attempts,
            wait,
            failure.reason());
      }
      case DeliveryResult.Transient failure -> giveUp(delivery, attempts, failure.reason());
      case DeliveryResult.Permanent failure -> giveUp(delivery, attempts, failure.reason());
    }
  }

  private static DeliveryResult send(Notifier notifier, Notification notification) {
    try {
      return notifier.deliver(notification);
    } catch (RuntimeException e) {
      return new DeliveryResult.Transient(e.toString(), 0);
    }
  }

  private void giveUp(Delivery delivery, int attempts, String reason) {
    outbox.failed(delivery.id(), attempts, clock.millis(), reason);
    outcomes.attempted(delivery.channel(), "failed");
    log.warn(
        "gave up on {} of incident {} to {} after {} attempt(s): {}",
        delivery.notification().kind(),
        delivery.notification().incidentId(),
        delivery.channel(),
        attempts,
        reason);
    audit(delivery, AuditAction.NOTIFICATION_FAILED, attempts, reason);
  }

  private void audit(Delivery delivery, AuditAction action, int attempts, String detail) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("channel", delivery.channel());
    details.put("kind", delivery.notification().kind());
    details.put("attempts", Integer.toString(attempts));
    details.put("detail", detail == null ? "" : detail);
    try {
      audit.append(
          AuditRecord.of(
              clock.millis(), "sentinel", action, delivery.notification().incidentId(), details));
    } catch (RuntimeException e) {
      log.warn("could not audit the delivery {}", delivery.id(), e);
    }
  }

  @Override
  public void close() {
    running = false;
    Thread worker = thread;
    if (worker != null) {
      worker.interrupt();
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
