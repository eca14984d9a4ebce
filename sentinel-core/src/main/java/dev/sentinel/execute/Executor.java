package dev.sentinel.execute;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;

import java.util.Map;
import java.util.Set;

/**
 * Performs remediation actions on one platform.
 *
 * <p>Thread-safe. Every mutating call carries an idempotency key (incident, step, attempt): an
 * executor asked twice with the same key acts at most once and answers the second time with the
 * outcome of the first, so a workflow that crashed mid-step can safely run the step again.
 */
public interface Executor {

  /** The platform this executor acts on, as in {@link Target#platform()}. */
  String platform();

  /** The operations it can perform. */
  Set<String> operations();

  /** Reads the target's current state, as a rollback would need it. Read-only. */
  PriorState capture(Action action);

  /** Performs the action. Idempotent under {@code idempotencyKey}. */
  ActionResult apply(Action action, String idempotencyKey);

  /** Puts the target back as it was in {@code prior}. Idempotent under {@code idempotencyKey}. */
  ActionResult restore(PriorState prior, String idempotencyKey);

  /** The target's current state for people and analysis (replicas, version, health...). */
  Map<String, String> describe(Target target);
}
