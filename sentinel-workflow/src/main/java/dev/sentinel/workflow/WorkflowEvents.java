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

  WorkflowEvents NONE = event -> {};
}
