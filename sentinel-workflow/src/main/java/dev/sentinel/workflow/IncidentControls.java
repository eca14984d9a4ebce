package dev.sentinel.workflow;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.incident.Handling;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a person can do with an incident, from any instance: acknowledge, assign, note, set the
 * severity, take it over from Sentinel, hand it back, resolve it. Each change is made atomically in
 * the incident store, then put on the timeline and in the audit trail with the person as the actor;
 * notifications follow from the timeline (an acknowledge or resolve reaches PagerDuty).
 *
 * <p>While a person owns an incident (took it over), no automation touches it: every workflow node
 * checks first and ends the run ({@link Casework#checkStillOurs}), and plans waiting for approval
 * cannot be approved. Handing it back starts a fresh run.
 */
public final class IncidentControls {

  /** A control that does not apply to the incident as it is now; the API answers 409. */
  public static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** The controls, as the API and the console name them. */
  public enum Control {
    ACKNOWLEDGE,
    ASSIGN,
    NOTE,
    SEVERITY,
    TAKE_OVER,
    HAND_BACK,
    RESOLVE;

    /** {@code take-over}, as in the API's paths. */
    public String path() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Casework work;
  private final CaseQueue queue;

  public IncidentControls(IncidentWorkflow workflow, CaseQueue queue) {
    this.work = workflow.work();
    this.queue = queue;
  }

  /**
   * The controls a person may use on the incident as it is: every unresolved incident offers at
   * least one (resolve), a resolved one only a note.
   */
  public static List<Control> available(Incident incident) {
    List<Control> controls = new ArrayList<>();
    if (incident.status().isOpen()) {
      if (!incident.handling().acknowledged()) {
        controls.add(Control.ACKNOWLEDGE);
      }
      controls.add(Control.ASSIGN);
      controls.add(Control.SEVERITY);
      controls.add(incident.handling().takenOver() ? Control.HAND_BACK : Control.TAKE_OVER);
      controls.add(Control.RESOLVE);
    }
    controls.add(Control.NOTE);
    return controls;
  }

  /** Someone is on it: stops the paging escalation (PagerDuty is sent an acknowledge). */
  public Incident acknowledge(String incidentId, String actor, String note) {
    Incident changed =
        work.incidents.update(
            incidentId,
            incident -> {
              requireOpen(incident, "acknowledged");
              if (incident.handling().acknowledged()) {
                throw new Refused(
                    "incident "
                        + incidentId
                        + " was acknowledged by "
                        + incident.handling().acknowledgedBy()
                        + " already");
              }
              return incident.with(incident.handling().acknowledgedBy(actor, work.now()));
            });
    work.record(
        incidentId,
        "acknowledged",
        actor,
        AuditAction.INCIDENT_ACKNOWLEDGED,
        "acknowledged by " + actor + suffix(note),
        details("note", note));
    return changed;
  }

  public Incident assign(String incidentId, String actor, String assignee) {
    String person = required(assignee, "assignee");
    Incident changed =
        work.incidents.update(
            incidentId,
            incident -> {
              requireOpen(incident, "assigned");
              return incident.with(incident.handling().assignedTo(person));
            });
    work.record(
        incidentId,
        "assigned",
        actor,
        AuditAction.INCIDENT_ASSIGNED,
        "assigned to " + person + " by " + actor,
        details("assignee", person));
    return changed;
  }

  public Incident note(String incidentId, String actor, String text) {
    String note = required(text, "text");
    Incident incident = work.incident(incidentId);
    work.record(incidentId, "note", actor, AuditAction.INCIDENT_NOTED, note, details("note", note));
    return incident;
  }

  /** Sets the severity; anomalies that join later leave it as set. */
  public Incident severity(String incidentId, String actor, Severity severity, String reason) {
    Severity[] before = new Severity[1];
    Incident changed =
        work.incidents.update(
            incidentId,
            incident -> {
              requireOpen(incident, "given another severity");
              before[0] = incident.severity();
              return incident.with(severity);
            });
    Map<String, String> details = details("reason", reason);
    details.put("from", before[0].name());
    details.put("to", severity.name());
    work.record(
        incidentId,
        "severity",
        actor,
        AuditAction.INCIDENT_SEVERITY_CHANGED,
        "severity " + before[0].name() + " -> " + severity.name() + " by " + actor + suffix(reason),
        details);
    return changed;
  }

  /**
   * A person owns the incident from now on: it shows {@code escalated}, the run under way stops
   * before its next step, and nothing Sentinel planned runs until it is handed back.
   */
  public Incident takeOver(String incidentId, String actor, String reason) {
    Incident changed =
        work.incidents.update(
            incidentId,
            incident -> {
              requireOpen(incident, "taken over");
              if (incident.handling().takenOver()) {
                throw new Refused(
                    "incident "
                        + incidentId
                        + " was taken over by "
                        + incident.handling().owner()
                        + " already");
              }
              Incident owned = incident.with(incident.handling().ownedBy(actor));
              return incident.status() == IncidentStatus.ESCALATED
                  ? owned
                  : dev.sentinel.incident.Incidents.moved(
                      owned, IncidentStatus.ESCALATED, work.now(), null);
            });
    work.record(
        incidentId,
        "taken_over",
        actor,
        AuditAction.INCIDENT_TAKEN_OVER,
        actor + " took over; Sentinel's automation stops" + suffix(reason),
        details("reason", reason));
    return changed;
  }

  /** Sentinel works the incident again: a fresh run analyses it as it is now. */
  public Incident handBack(String incidentId, String actor, String reason) {
    Incident changed =
        work.incidents.update(
            incidentId,
            incident -> {
              requireOpen(incident, "handed back");
              if (!incident.handling().takenOver()) {
                throw new Refused("incident " + incidentId + " is Sentinel's already");
              }
              return incident.with(incident.handling().ownedBy(null));
            });
    work.record(
        incidentId,
        "handed_back",
        actor,
        AuditAction.INCIDENT_HANDED_BACK,
        actor + " handed it back to Sentinel" + suffix(reason),
        details("reason", reason));
    queue.enqueue(incidentId, work.now());
    return changed;
  }

  /** Resolves the incident; a run under way ends before its next step. */
  public Incident resolve(String incidentId, String actor, String reason) {
    String resolution = "resolved by " + actor + suffix(reason);
    Incident changed =
        work.incidents.update(
            incidentId,
            incident -> {
              requireOpen(incident, "resolved");
              return dev.sentinel.incident.Incidents.moved(
                  incident, IncidentStatus.RESOLVED, work.now(), resolution);
            });
    Map<String, String> details = details("reason", reason);
    details.put("resolution", resolution);
    work.record(incidentId, "resolved", actor, AuditAction.INCIDENT_RESOLVED, resolution, details);
    return changed;
  }

  private static void requireOpen(Incident incident, String verb) {
    if (!incident.status().isOpen()) {
      throw new Refused("incident " + incident.id() + " is resolved; it cannot be " + verb);
    }
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
    }
    return value.strip();
  }

  private static String suffix(String text) {
    return text == null || text.isBlank() ? "" : ": " + text.strip();
  }

  private static Map<String, String> details(String key, String value) {
    Map<String, String> details = new LinkedHashMap<>();
    if (value != null && !value.isBlank()) {
      details.put(key, value.strip());
    }
    return details;
  }

  /** For the view: who handles the incident, in words. */
  public static String owner(Handling handling) {
    return handling.takenOver() ? handling.owner() : "sentinel";
  }
}
