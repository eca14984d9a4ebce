package dev.sentinel.notifier;

import dev.sentinel.notify.DeliveryResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers a Slack interaction through its {@code response_url}: replaces the message that carried
 * the buttons with the outcome, or tells only the clicking user why nothing happened.
 */
public final class SlackResponder {

  private final JsonPost post;

  public SlackResponder(Duration timeout) {
    this.post = new JsonPost(timeout);
  }

  /** Replaces the original message (its buttons go) with the given message. */
  public DeliveryResult replace(String responseUrl, Map<String, Object> message) {
    Map<String, Object> body = new LinkedHashMap<>(message);
    body.put("replace_original", true);
    return post.send(responseUrl, JsonPost.json(body), Map.of()).result();
  }

  /** A message only the clicking user sees; the original stays as it is. */
  public DeliveryResult tell(String responseUrl, String text) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("response_type", "ephemeral");
    body.put("replace_original", false);
    body.put("text", text);
    return post.send(responseUrl, JsonPost.json(body), Map.of()).result();
  }
}
