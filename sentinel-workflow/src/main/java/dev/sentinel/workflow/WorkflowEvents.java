package dev.sentinel.workflow;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.plan.Plan;

/**
 * Told what the workflow does, after it is recorded: for the terminal narration, metrics and
 * notifications. Called on workflow threads; must not block for long or throw.
 */
public interface WorkflowEvents {

  void recorded(TimelineEvent event);

  default void approvalNeeded(Incident incident, Plan plan, String reason) {}

  /**
   * A node of the workflow graph starts working on an incident, on the thread that runs it; the
   * returned step is told, on the same thread, when the node ends. For tracing and step metrics.
   */
  default Step stepStarted(String node, String incidentId) {
    return Step.NONE;
  }

  /** One node's run, as {@link #stepStarted} began it. */
  @FunctionalInterface
  interface Step {

    /**
     * @param outcome {@code ok}, {@code deferred} (the case waits for a related incident and is
     *     retried later: not an error) or {@code error}
     * @param failure what the node threw, or null
     */
    void ended(String outcome, Throwable failure);

    Step NONE = (outcome, failure) -> {};
  }

  WorkflowEvents NONE = event -> {};
}
