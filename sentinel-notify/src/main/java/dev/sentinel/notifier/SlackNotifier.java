package dev.sentinel.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifier;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posts to Slack, by an incoming webhook or, with a bot token, by the Web API's {@code
 * chat.postMessage} to a channel. With the token, the approval request is remembered (channel and
 * {@code ts}) and replaced by the outcome with {@code chat.update} once someone decides — on the
 * console, the API or Slack. With a webhook, which cannot edit what it posted, the outcome is a new
 * message (a click in Slack still replaces the request through Slack's {@code response_url}).
 */
public final class SlackNotifier implements Notifier {

  /** Slack's Web API; tests point {@code notify.slack.apiUrl} elsewhere. */
  public static final String API_URL = "https://slack.com/api";

  private final String webhookUrl;
  private final String token;
  private final String channel;
  private final String apiUrl;
  private final String consoleUrl;
  private final JsonPost post;
  // Approval requests posted by this process, by incident: which message to update. Not durable:
  // after a restart the outcome is posted as a new message instead.
  private final Map<String, String> requests = new ConcurrentHashMap<>();

  /**
   * @param webhookUrl an incoming webhook's URL, or "" to use {@code token} and {@code channel}
   */
  public SlackNotifier(
      String webhookUrl,
      String token,
      String channel,
      String apiUrl,
      String consoleUrl,
      Duration timeout) {
    this.webhookUrl = webhookUrl == null ? "" : webhookUrl;
    this.token = token == null ? "" : token;
    this.channel = channel == null ? "" : channel;
    this.apiUrl = apiUrl == null || apiUrl.isBlank() ? API_URL : apiUrl.replaceAll("/+$", "");
    this.consoleUrl = consoleUrl == null ? "" : consoleUrl;
    this.post = new JsonPost(timeout);
    if (this.webhookUrl.isBlank() && (this.token.isBlank() || this.channel.isBlank())) {
      throw new IllegalArgumentException("Slack needs a webhook URL, or a token and a channel");
    }
  }

  @Override
  public String channel() {
    return "slack";
  }

  @Override
  public boolean wants(Notification notification) {
    return !(notification instanceof Notification.IncidentUpdated updated)
        || !updated.change().equals("action");
  }

  @Override
  public DeliveryResult deliver(Notification notification) {
    Map<String, Object> message = SlackMessages.message(notification, consoleUrl);
    if (!webhookUrl.isBlank()) {
      return post.send(webhookUrl, JsonPost.json(message), Map.of()).result();
    }
    String posted = requests.get(notification.incidentId());
    if (notification instanceof Notification.IncidentUpdated updated
        && posted != null
        && (updated.change().equals("approved") || updated.change().equals("rejected"))) {
      Map<String, Object> update = new LinkedHashMap<>(message);
      update.put("channel", posted.substring(0, posted.indexOf(' ')));
      update.put("ts", posted.substring(posted.indexOf(' ') + 1));
      DeliveryResult result = api("chat.update", update);
      if (result instanceof DeliveryResult.Sent) {
        requests.remove(notification.incidentId());
      }
      return result;
    }
    Map<String, Object> body = new LinkedHashMap<>(message);
    body.put("channel", channel);
    return api("chat.postMessage", body, notification);
  }

  private DeliveryResult api(String method, Map<String, Object> body) {
    return api(method, body, null);
  }

  /**
   * Slack's Web API answers 200 with {@code "ok": false} for most errors: {@code ratelimited} and
   * server-side errors are retried, anything else (a bad token, an unknown channel) is not.
   */
  private DeliveryResult api(String method, Map<String, Object> body, Notification remember) {
    JsonPost.Answer answer =
        post.send(
            apiUrl + "/" + method, JsonPost.json(body), Map.of("Authorization", "Bearer " + token));
    if (!(answer.result() instanceof DeliveryResult.Sent)) {
      return answer.result();
    }
    JsonNode reply;
    try {
      reply = JsonPost.JSON.readTree(answer.body());
    } catch (IOException e) {
      return new DeliveryResult.Transient("Slack's answer is not JSON: " + answer.body(), 0);
    }
    if (!reply.path("ok").asBoolean(false)) {
      String error = reply.path("error").asText("unknown error");
      return switch (error) {
        case "ratelimited",
            "internal_error",
            "fatal_error",
            "service_unavailable",
            "request_timeout" ->
            new DeliveryResult.Transient(method + ": " + error, 0);
        default -> new DeliveryResult.Permanent(method + ": " + error);
      };
    }
    if (remember instanceof Notification.ApprovalNeeded) {
      requests.put(
          remember.incidentId(),
          reply.path("channel").asText(channel) + " " + reply.path("ts").asText());
    }
    return new DeliveryResult.Sent(method + " ok " + reply.path("ts").asText(""));
  }
}
