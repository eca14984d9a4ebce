package dev.sentinel.notifier;

import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * PagerDuty's Events API v2: trigger when an incident opens, acknowledge when a human approves its
 * plan, acknowledges it or takes it over (someone is on it), resolve when it is resolved. The dedup
 * key is the incident id, so all three land on one PagerDuty alert, and a retried trigger does not
 * page twice.
 */
public final class PagerDutyNotifier implements Notifier {

  /** Where PagerDuty takes events; tests point {@code notify.pagerduty.url} elsewhere. */
  public static final String EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

  private final String routingKey;
  private final String url;
  private final String consoleUrl;
  private final JsonPost post;

  /**
   * @param consoleUrl Sentinel's console as users reach it (a link on the alert), or ""
   */
  public PagerDutyNotifier(String routingKey, String url, String consoleUrl, Duration timeout) {
    this.routingKey = Objects.requireNonNull(routingKey, "routingKey");
    this.url = url == null || url.isBlank() ? EVENTS_URL : url;
    this.consoleUrl = consoleUrl == null ? "" : consoleUrl;
    this.post = new JsonPost(timeout);
  }

  @Override
  public String channel() {
    return "pagerduty";
  }

  @Override
  public boolean wants(Notification notification) {
    return switch (notification) {
      case Notification.IncidentOpened opened -> true;
      // A person owns it now: PagerDuty stops escalating.
      case Notification.IncidentUpdated updated ->
          switch (updated.change()) {
            case "approved", "acknowledged", "taken_over" -> true;
            default -> false;
          };
      case Notification.IncidentResolved resolved -> true;
      case Notification.ApprovalNeeded needed -> false;
    };
  }

  @Override
  public DeliveryResult deliver(Notification notification) {
    return post.send(url, JsonPost.json(event(notification)), Map.of()).result();
  }

  /** The Events API v2 body for a notification this channel wants. */
  Map<String, Object> event(Notification notification) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("routing_key", routingKey);
    event.put("dedup_key", notification.incidentId());
    switch (notification) {
      case Notification.IncidentOpened opened -> {
        event.put("event_action", "trigger");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", abbreviate("[" + opened.service() + "] " + opened.summary()));
        payload.put("source", opened.service().isEmpty() ? "sentinel" : opened.service());
        payload.put("severity", severity(opened.severity()));
        payload.put("timestamp", Instant.ofEpochMilli(opened.atMillis()).toString());
        payload.put("component", opened.service());
        payload.put("class", "sentinel incident");
        payload.put(
            "custom_details",
            Map.of("incident", opened.incidentId(), "severity", opened.severity()));
        event.put("payload", payload);
        event.put("client", "Sentinel");
        if (!consoleUrl.isEmpty()) {
          String link =
              consoleUrl.replaceAll("/+$", "") + "/console/#/incidents/" + opened.incidentId();
          event.put("client_url", link);
          event.put(
              "links", java.util.List.of(Map.of("href", link, "text", "Incident in Sentinel")));
        }
      }
      case Notification.IncidentUpdated updated -> event.put("event_action", "acknowledge");
      case Notification.IncidentResolved resolved -> event.put("event_action", "resolve");
      case Notification.ApprovalNeeded needed ->
          throw new IllegalArgumentException("PagerDuty is not told about approval requests");
    }
    return event;
  }

  /** Sentinel's four severities onto PagerDuty's four. */
  static String severity(String severity) {
    return switch (severity.toUpperCase(Locale.ROOT)) {
      case "CRITICAL" -> "critical";
      case "HIGH" -> "error";
      case "MEDIUM" -> "warning";
      default -> "info";
    };
  }

  /** PagerDuty truncates summaries at 1024 characters; we cut first so the end is ours. */
  private static String abbreviate(String text) {
    return text.length() > 1024 ? text.substring(0, 1021) + "..." : text;
  }
}
