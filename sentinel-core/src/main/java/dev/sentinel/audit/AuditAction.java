package dev.sentinel.audit;

import java.util.Locale;

/** What an audit entry records. Stored by its {@link #code()}, e.g. {@code approval.granted}. */
public enum AuditAction {
  INCIDENT_OPENED,
  INCIDENT_MERGED,
  INCIDENT_RESOLVED,
  /** A human's controls on an incident (see the incident controls). */
  INCIDENT_ACKNOWLEDGED,
  INCIDENT_ASSIGNED,
  INCIDENT_NOTED,
  INCIDENT_SEVERITY_CHANGED,
  INCIDENT_TAKEN_OVER,
  INCIDENT_HANDED_BACK,
  ANALYSIS_COMPLETED,
  PLAN_PROPOSED,
  APPROVAL_REQUESTED,
  APPROVAL_GRANTED,
  APPROVAL_REJECTED,
  ACTION_EXECUTED,
  ACTION_REFUSED,
  ACTION_FAILED,
  ACTION_DRY_RUN,
  ACTION_ROLLED_BACK,
  ESCALATED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_FAILED,
  /**
   * A Slack click (or another outside decision) that was forged, stale, replayed or unauthorised.
   */
  APPROVAL_REFUSED,
  API_KEY_CREATED,
  API_KEY_REVOKED,
  AUDIT_PRUNED,
  /**
   * The chain's switch from plain SHA-256 to HMAC-SHA-256: the first keyed entry of a trail that
   * has unkeyed entries from before, naming the retention anchor it found.
   */
  AUDIT_KEYED;

  /** {@code SUBJECT_VERB} becomes {@code subject.verb}; a one-word name stays as it is. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replaceFirst("_", ".");
  }

  public static AuditAction fromCode(String code) {
    for (AuditAction action : values()) {
      if (action.code().equals(code)) {
        return action;
      }
    }
    throw new IllegalArgumentException("unknown audit action '" + code + "'");
  }
}
