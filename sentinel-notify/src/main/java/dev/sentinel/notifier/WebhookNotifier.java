package dev.sentinel.notifier;

import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Posts every notification as JSON to a URL, signed so that the receiver can tell it came from this
 * Sentinel and was not replayed:
 *
 * <pre>
 * X-Sentinel-Event:     incident.opened
 * X-Sentinel-Timestamp: 1795867200            (epoch seconds, when it was sent)
 * X-Sentinel-Signature: sha256=&lt;hex HMAC-SHA256(secret, timestamp + "." + body)&gt;
 * </pre>
 *
 * The timestamp is inside the signed text so that an old request cannot be sent again with a new
 * timestamp; receivers should refuse timestamps older than a few minutes. See
 * docs/notifications.md.
 */
public final class WebhookNotifier implements Notifier {

  public static final String SIGNATURE = "X-Sentinel-Signature";
  public static final String TIMESTAMP = "X-Sentinel-Timestamp";
  public static final String EVENT = "X-Sentinel-Event";

  private final String name;
  private final String url;
  private final String secret;
  private final Clock clock;
  private final JsonPost post;

  public WebhookNotifier(String name, String url, String secret, Clock clock, Duration timeout) {
    this.name = Objects.requireNonNull(name, "name");
    this.url = Objects.requireNonNull(url, "url");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.clock = clock;
    this.post = new JsonPost(timeout);
  }

  @Override
  public String channel() {
    return "webhook:" + name;
  }

  @Override
  public boolean wants(Notification notification) {
    return true;
  }

  @Override
  public DeliveryResult deliver(Notification notification) {
    String body = JsonPost.json(body(notification));
    String timestamp = Long.toString(clock.millis() / 1000);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EVENT, notification.kind());
    headers.put(TIMESTAMP, timestamp);
    headers.put(SIGNATURE, signature(secret, timestamp, body));
    return post.send(url, body, headers).result();
  }

  /** {@code sha256=} and the hex HMAC-SHA256 of {@code timestamp + "." + body}. */
  public static String signature(String secret, String timestamp, String body) {
    return "sha256=" + Hmac.sha256Hex(secret, timestamp + "." + body);
  }

  /**
   * The event: its kind, incident, time, an id that is the same on every retry (so receivers can
   * drop repeats) and the notification's own fields under {@code data}.
   */
  static Map<String, Object> body(Notification notification) {
    Map<String, String> data = new LinkedHashMap<>(notification.fields());
    data.remove("incidentId");
    data.remove("atMillis");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "id",
        notification.kind() + ":" + notification.incidentId() + ":" + notification.atMillis());
    body.put("kind", notification.kind());
    body.put("incidentId", notification.incidentId());
    body.put("at", Instant.ofEpochMilli(notification.atMillis()).toString());
    body.put("data", data);
    return body;
  }
}
