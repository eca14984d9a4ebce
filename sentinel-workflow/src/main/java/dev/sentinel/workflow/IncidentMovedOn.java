package dev.sentinel.workflow;

import dev.sentinel.incident.IncidentStatus;

/**
 * A run tried to move an incident that was resolved under it (by a human, its alerts, or the
 * quiet-time sweep): the run's work no longer applies, so the runner ends it instead of retrying.
 * If the incident has reopened meanwhile, the case queue starts a fresh run for it.
 */
final class IncidentMovedOn extends IllegalStateException {

  IncidentMovedOn(String incidentId, IncidentStatus status, IncidentStatus wanted) {
    super(
        "incident "
            + incidentId
            + " is "
            + status.code()
            + " under this run; not moving it to "
            + wanted.code());
  }
}
