package dev.sentinel.workflow;

import dev.sentinel.incident.IncidentStatus;

/**
 * The incident is no longer the run's to work: it was resolved under it (by a human, its alerts, or
 * the quiet-time sweep), or a person took it over. The run's work no longer applies, so the runner
 * ends it instead of retrying. If the incident has reopened or been handed back meanwhile, the case
 * queue starts a fresh run for it.
 */
final class IncidentMovedOn extends IllegalStateException {

  IncidentMovedOn(String incidentId, IncidentStatus status, IncidentStatus wanted) {
    this(
        "incident "
            + incidentId
            + " is "
            + status.code()
            + " under this run; not moving it to "
            + wanted.code());
  }

  private IncidentMovedOn(String message) {
    super(message);
  }

  static IncidentMovedOn takenOver(String incidentId, String owner) {
    return new IncidentMovedOn(
        "incident " + incidentId + " was taken over by " + owner + "; no automation touches it");
  }

  static IncidentMovedOn resolved(String incidentId) {
    return new IncidentMovedOn("incident " + incidentId + " was resolved under this run");
  }
}
