package dev.sentinel.app.notify;

import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.notifier.PagerDutyNotifier;
import dev.sentinel.notifier.SlackNotifier;
import dev.sentinel.notifier.WebhookNotifier;
import dev.sentinel.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The notifiers the configuration asks for; adding a channel is a line here. */
public final class Channels {

  private Channels() {}

  public static List<Notifier> from(NotifyConfig config, Clock clock) {
    Duration timeout = Duration.ofMillis(config.timeoutMillis());
    List<Notifier> notifiers = new ArrayList<>();
    NotifyConfig.Slack slack = config.slack();
    if (slack.posts()) {
      notifiers.add(
          new SlackNotifier(
              slack.webhookUrl(),
              slack.token(),
              slack.channel(),
              slack.apiUrl(),
              config.consoleUrl(),
              timeout));
    }
    if (!config.pagerduty().routingKey().isEmpty()) {
      notifiers.add(
          new PagerDutyNotifier(
              config.pagerduty().routingKey(),
              config.pagerduty().url(),
              config.consoleUrl(),
              timeout));
    }
    for (NotifyConfig.Webhook webhook : config.webhooks()) {
      notifiers.add(
          new WebhookNotifier(webhook.name(), webhook.url(), webhook.secret(), clock, timeout));
    }
    return notifiers;
  }
}
