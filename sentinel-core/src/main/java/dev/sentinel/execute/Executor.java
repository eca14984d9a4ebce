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

  /**
   * Whether the action may run again under a key used before Sentinel restarted, and still act at
   * most once: the platform or the action itself remembers (an absolute replica count, a workload
   * marked with its key, outcomes kept on disk). When not, a step that was started but never
   * finished before a restart is not repeated: the workflow hands it to a human, since nobody can
   * tell whether it ran. Keys kept in memory only do not count.
   */
  default boolean safeToRepeat(Action action) {
    return false;
  }
}
