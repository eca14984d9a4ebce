package dev.sentinel.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something people should hear about an incident. Every notification flattens to a map of text
 * fields ({@link #fields()}) and back ({@link #fromFields}), which is how the outbox stores it and
 * how the webhook body carries it, so a stored notification needs no class-specific codec.
 */
public sealed interface Notification {

  /** The kind as stored and sent: {@code incident.opened}, {@code approval.needed}, ... */
  String kind();

  String incidentId();

  long atMillis();

  /** The notification as text fields, without {@code kind}; the inverse of {@link #fromFields}. */
  Map<String, String> fields();

  /**
   * A new (or reopened) incident.
   *
   * @param service the incident's service label, or "" when its group has none
   * @param severity {@code LOW}, {@code MEDIUM}, {@code HIGH} or {@code CRITICAL}
   */
  record IncidentOpened(
      String incidentId, long atMillis, String service, String severity, String summary)
      implements Notification {
    public IncidentOpened {
      check(incidentId, service, severity, summary);
    }

    @Override
    public String kind() {
      return "incident.opened";
    }

    @Override
    public Map<String, String> fields() {
      return map(this, "service", service, "severity", severity, "summary", summary);
    }
  }

  /**
   * A change worth telling: a human decision on the plan, an escalation, an action's result.
   *
   * @param change {@code approved}, {@code rejected}, {@code escalated} or {@code action}
   * @param actor who caused it: an API key's name, {@code slack:U123}, or {@code sentinel}
   */
  record IncidentUpdated(
      String incidentId, long atMillis, String change, String actor, String summary)
      implements Notification {
    public IncidentUpdated {
      check(incidentId, change, actor, summary);
    }

    @Override
    public String kind() {
      return "incident.updated";
    }

    @Override
    public Map<String, String> fields() {
      return map(this, "change", change, "actor", actor, "summary", summary);
    }
  }

  record IncidentResolved(String incidentId, long atMillis, String summary)
      implements Notification {
    public IncidentResolved {
      check(incidentId, summary);
    }

    @Override
    public String kind() {
      return "incident.resolved";
    }

    @Override
    public Map<String, String> fields() {
      return map(this, "summary", summary);
    }
  }

  /**
   * A plan waits for a human.
   *
   * @param plan the plan's summary; {@code steps} lists its steps, one a line, with their risk
   * @param risk the riskiest step's risk, which is what held the plan back
   * @param reason why it was not approved automatically
   */
  record ApprovalNeeded(
      String incidentId,
      long atMillis,
      String service,
      String severity,
      String plan,
      String steps,
      String risk,
      String reason)
      implements Notification {
    public ApprovalNeeded {
      check(incidentId, service, severity, plan, steps, risk, reason);
    }

    @Override
    public String kind() {
      return "approval.needed";
    }

    @Override
    public Map<String, String> fields() {
      return map(
          this,
          "service",
          service,
          "severity",
          severity,
          "plan",
          plan,
          "steps",
          steps,
          "risk",
          risk,
          "reason",
          reason);
    }
  }

  /** Rebuilds a notification from its kind and {@link #fields()}. */
  static Notification fromFields(String kind, Map<String, String> fields) {
    String id = fields.get("incidentId");
    long at = Long.parseLong(fields.getOrDefault("atMillis", "0"));
    return switch (kind) {
      case "incident.opened" ->
          new IncidentOpened(
              id, at, fields.get("service"), fields.get("severity"), fields.get("summary"));
      case "incident.updated" ->
          new IncidentUpdated(
              id, at, fields.get("change"), fields.get("actor"), fields.get("summary"));
      case "incident.resolved" -> new IncidentResolved(id, at, fields.get("summary"));
      case "approval.needed" ->
          new ApprovalNeeded(
              id,
              at,
              fields.get("service"),
              fields.get("severity"),
              fields.get("plan"),
              fields.get("steps"),
              fields.get("risk"),
              fields.get("reason"));
      default -> throw new IllegalArgumentException("unknown notification kind '" + kind + "'");
    };
  }

  private static void check(String... values) {
    for (String value : values) {
      Objects.requireNonNull(value, "a notification field is null");
    }
  }

  private static Map<String, String> map(Notification notification, String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("incidentId", notification.incidentId());
    fields.put("atMillis", Long.toString(notification.atMillis()));
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
    }
    return fields;
  }
}
