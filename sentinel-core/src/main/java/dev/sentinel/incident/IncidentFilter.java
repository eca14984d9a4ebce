package dev.sentinel.incident;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which incidents to list; null or empty fields match everything.
 *
 * @param sinceMillis incidents whose last anomaly is at or after this time
 * @param beforeOpenedAtMillis paging: only incidents opened before this time (newest first)
 */
public record IncidentFilter(
    Set<IncidentStatus> statuses,
    String service,
    Severity severity,
    Long sinceMillis,
    Long beforeOpenedAtMillis) {

  public IncidentFilter {
    statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
  }

  public static IncidentFilter all() {
    return new IncidentFilter(Set.of(), null, null, null, null);
  }

  public static IncidentFilter open() {
    return new IncidentFilter(
        EnumSet.complementOf(EnumSet.of(IncidentStatus.RESOLVED)), null, null, null, null);
  }

  public boolean matches(Incident incident) {
    return (statuses.isEmpty() || statuses.contains(incident.status()))
        && (service == null || service.equals(incident.service()))
        && (severity == null || severity == incident.severity())
        && (sinceMillis == null || incident.lastAnomalyAtMillis() >= sinceMillis)
        && (beforeOpenedAtMillis == null || incident.openedAtMillis() < beforeOpenedAtMillis);
  }
}
