package dev.sentinel.app.config;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is told about incidents, and how hard Sentinel tries (see docs/notifications.md). Nothing is
 * configured by default: notifications then go nowhere but the log and the console.
 *
 * @param consoleUrl the console's base URL as people reach it (links in Slack and PagerDuty), e.g.
 *     {@code https://sentinel.example.com}; empty leaves the links out
 * @param timeoutMillis how long one HTTP attempt may take
 */
public record NotifyConfig(
    String consoleUrl,
    Slack slack,
    PagerDuty pagerduty,
    List<Webhook> webhooks,
    Retry retry,
    long timeoutMillis) {

  /**
   * Slack: an incoming {@code webhookUrl}, or a bot {@code token} with a {@code channel} (which
   * lets Sentinel replace the approval request with its outcome). {@code signingSecret} verifies
   * the button clicks Slack sends to {@code POST /api/v1/slack/interactions}; {@code approvers}
   * lists who may decide there, as {@code SLACKUSERID=name} (the name is the decision's actor).
   *
   * @param apiUrl Slack's Web API, for tests; empty is {@code https://slack.com/api}
   */
  public record Slack(
      String webhookUrl,
      String token,
      String channel,
      String apiUrl,
      String signingSecret,
      List<String> approvers) {
    public Slack {
      webhookUrl = strip(webhookUrl);
      token = strip(token);
      channel = strip(channel);
      apiUrl = strip(apiUrl);
      signingSecret = strip(signingSecret);
      approvers = approvers == null ? List.of() : List.copyOf(approvers);
      checkUrl("slack.webhookUrl", webhookUrl);
      checkUrl("slack.apiUrl", apiUrl);
      if (!token.isEmpty() && channel.isEmpty()) {
        throw new IllegalArgumentException("slack.token needs slack.channel: where to post");
      }
      if (!approvers.isEmpty() && signingSecret.isEmpty()) {
        throw new IllegalArgumentException(
            "slack.approvers needs slack.signingSecret: unsigned clicks are never trusted");
      }
      approverNames(approvers);
    }

    public boolean posts() {
      return !webhookUrl.isEmpty() || !token.isEmpty();
    }

    /** Slack user id to approver name. */
    public Map<String, String> approverNames() {
      return approverNames(approvers);
    }

    private static Map<String, String> approverNames(List<String> approvers) {
      Map<String, String> names = new LinkedHashMap<>();
      for (String pair : approvers) {
        int split = pair.indexOf('=');
        if (split <= 0 || split == pair.length() - 1) {
          throw new IllegalArgumentException(
              "slack.approvers entries are SLACKUSERID=name, was '" + pair + "'");
        }
        names.put(pair.substring(0, split).strip(), pair.substring(split + 1).strip());
      }
      return names;
    }
  }

  /**
   * PagerDuty's Events API v2: the integration's {@code routingKey}; {@code url} is for tests
   * (empty is {@code https://events.pagerduty.com/v2/enqueue}).
   */
  /**
   * PagerDuty: Events v2 with {@code routingKey}; {@code webhookSecret} verifies the v3 webhooks
   * PagerDuty sends to {@code POST /api/v1/pagerduty/webhook} (an acknowledge or resolve there
   * acknowledges or resolves the incident in Sentinel).
   */
  public record PagerDuty(String routingKey, String url, String webhookSecret) {
    public PagerDuty {
      routingKey = strip(routingKey);
      url = strip(url);
      webhookSecret = strip(webhookSecret);
      checkUrl("pagerduty.url", url);
      if (!webhookSecret.isEmpty() && webhookSecret.length() < 16) {
        throw new IllegalArgumentException(
            "pagerduty.webhookSecret must be at least 16 characters: it verifies the webhooks");
      }
    }
  }

  /** A receiver of signed JSON events; {@code secret} keys the HMAC-SHA256 signature. */
  public record Webhook(String name, String url, String secret) {
    public Webhook {
      name = strip(name);
      url = strip(url);
      secret = strip(secret);
      if (name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "webhooks[].name must be letters, digits, '.', '_' or '-', was '" + name + "'");
      }
      if (url.isEmpty()) {
        throw new IllegalArgumentException("webhooks[" + name + "].url is required");
      }
      checkUrl("webhooks[" + name + "].url", url);
      if (secret.length() < 16) {
        throw new IllegalArgumentException(
            "webhooks[" + name + "].secret must be at least 16 characters: it signs the events");
      }
    }
  }

  /** Exponential backoff with jitter between attempts, at most {@code maxAttempts} in all. */
  public record Retry(int maxAttempts, long firstDelayMillis, long maxDelayMillis) {
    public Retry {
      new dev.sentinel.notify.RetryPolicy(maxAttempts, firstDelayMillis, maxDelayMillis);
    }

    public dev.sentinel.notify.RetryPolicy policy() {
      return new dev.sentinel.notify.RetryPolicy(maxAttempts, firstDelayMillis, maxDelayMillis);
    }
  }

  public NotifyConfig {
    consoleUrl = strip(consoleUrl);
    checkUrl("consoleUrl", consoleUrl);
    Objects.requireNonNull(slack, "slack");
    Objects.requireNonNull(pagerduty, "pagerduty");
    Objects.requireNonNull(retry, "retry");
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    Set<String> names = new HashSet<>();
    for (Webhook webhook : webhooks) {
      if (!names.add(webhook.name())) {
        throw new IllegalArgumentException("two webhooks are named '" + webhook.name() + "'");
      }
    }
    if (timeoutMillis < 100) {
      throw new IllegalArgumentException(
          "timeoutMillis must be at least 100, was " + timeoutMillis);
    }
  }

  public static NotifyConfig defaults() {
    return new NotifyConfig(
        "",
        new Slack("", "", "", "", "", List.of()),
        new PagerDuty("", "", ""),
        List.of(),
        new Retry(8, 1_000, 60_000),
        10_000);
  }

  private static String strip(String value) {
    return value == null ? "" : value.strip();
  }

  private static void checkUrl(String key, String url) {
    if (url.isEmpty()) {
      return;
    }
    String scheme;
    try {
      scheme = URI.create(url).getScheme();
    } catch (IllegalArgumentException e) {
      scheme = null;
    }
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(key + " must be an http(s) URL, was '" + url + "'");
    }
  }
}
