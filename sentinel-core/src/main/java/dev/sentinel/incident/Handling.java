package dev.sentinel.incident;

/**
 * What people have done with an incident, beside its status: who acknowledged it, who it is
 * assigned to, who took it over from Sentinel, and whether a human set its severity.
 *
 * @param acknowledgedBy who acknowledged it, or {@code null}
 * @param acknowledgedAtMillis when, 0 when nobody has
 * @param assignee the person it is assigned to, or {@code null}
 * @param owner the person who took it over, or {@code null} while Sentinel works it: while a person
 *     owns it, no automation touches it
 * @param severityPinned whether a human set the severity, which joining anomalies then leave alone
 */
public record Handling(
    String acknowledgedBy,
    long acknowledgedAtMillis,
    String assignee,
    String owner,
    boolean severityPinned) {

  /** Nobody has done anything with it yet. */
  public static final Handling NONE = new Handling(null, 0, null, null, false);

  public boolean acknowledged() {
    return acknowledgedBy != null;
  }

  public boolean takenOver() {
    return owner != null;
  }

  public Handling acknowledgedBy(String actor, long atMillis) {
    return new Handling(actor, atMillis, assignee, owner, severityPinned);
  }

  public Handling assignedTo(String person) {
    return new Handling(acknowledgedBy, acknowledgedAtMillis, person, owner, severityPinned);
  }

  public Handling ownedBy(String person) {
    return new Handling(acknowledgedBy, acknowledgedAtMillis, assignee, person, severityPinned);
  }

  public Handling pinSeverity() {
    return new Handling(acknowledgedBy, acknowledgedAtMillis, assignee, owner, true);
  }
}
