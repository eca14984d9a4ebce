package dev.sentinel.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.Notification;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PagerDutyNotifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCEPTED =
      "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"inc-9\"}";
  private final Receiver pagerDuty = new Receiver(Receiver.Answer.of(202, ACCEPTED));
  private final PagerDutyNotifier notifier =
      new PagerDutyNotifier(
          "R0UT1NG", pagerDuty.url("/v2/enqueue"), "http://sentinel:8080", Duration.ofSeconds(5));

  PagerDutyNotifierTest() throws Exception {}

  @AfterEach
  void stop() {
    pagerDuty.close();
  }

  @Test
  void an_opened_incident_triggers_an_alert_deduplicated_by_the_incident_id() throws Exception {
    Notification opened =
        new Notification.IncidentOpened(
            "inc-9", 1_795_867_200_000L, "db", "CRITICAL", "error_rate outside 0..0.02");

    assertThat(notifier.deliver(opened)).isInstanceOf(DeliveryResult.Sent.class);

    Receiver.Request request = pagerDuty.requests.getFirst();
    assertThat(request.path()).isEqualTo("/v2/enqueue");
    assertThat(JSON.readTree(request.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"routing_key": "R0UT1NG", "dedup_key": "inc-9", "event_action": "trigger",
                 "payload": {"summary": "[db] error_rate outside 0..0.02", "source": "db",
                             "severity": "critical", "timestamp": "2026-11-28T12:00:00Z",
                             "component": "db", "class": "sentinel incident",
                             "custom_details": {"incident": "inc-9", "severity": "CRITICAL"}},
                 "client": "Sentinel",
                 "client_url": "http://sentinel:8080/console/#/incidents/inc-9",
                 "links": [{"href": "http://sentinel:8080/console/#/incidents/inc-9",
                            "text": "Incident in Sentinel"}]}
                """));
  }

  @Test
  void approval_acknowledges_and_resolution_resolves_the_same_alert() throws Exception {
    notifier.deliver(new Notification.IncidentUpdated("inc-9", 2, "approved", "alice", "go"));
    notifier.deliver(new Notification.IncidentResolved("inc-9", 3, "recovered"));

    assertThat(JSON.readTree(pagerDuty.requests.get(0).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"routing_key\":\"R0UT1NG\",\"dedup_key\":\"inc-9\",\"event_action\":\"acknowledge\"}"));
    assertThat(JSON.readTree(pagerDuty.requests.get(1).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"routing_key\":\"R0UT1NG\",\"dedup_key\":\"inc-9\",\"event_action\":\"resolve\"}"));
  }

  @Test
  void only_open_approve_acknowledge_take_over_and_resolve_go_to_pagerduty() {
    assertThat(notifier.wants(new Notification.IncidentUpdated("i", 1, "approved", "a", "s")))
        .isTrue();
    assertThat(notifier.wants(new Notification.IncidentUpdated("i", 1, "acknowledged", "a", "s")))
        .isTrue();
    assertThat(notifier.wants(new Notification.IncidentUpdated("i", 1, "taken_over", "a", "s")))
        .isTrue();
    assertThat(notifier.wants(new Notification.IncidentUpdated("i", 1, "escalated", "a", "s")))
        .isFalse();
    assertThat(notifier.wants(new Notification.IncidentUpdated("i", 1, "rejected", "a", "s")))
        .isFalse();
    assertThat(
            notifier.wants(
                new Notification.ApprovalNeeded("i", 1, "s", "LOW", "p", "", "HIGH", "r")))
        .isFalse();
  }

  @Test
  void severities_map_onto_pagerdutys_four() {
    assertThat(
            Map.of(
                "CRITICAL", PagerDutyNotifier.severity("CRITICAL"),
                "HIGH", PagerDutyNotifier.severity("HIGH"),
                "MEDIUM", PagerDutyNotifier.severity("MEDIUM"),
                "LOW", PagerDutyNotifier.severity("LOW")))
        .isEqualTo(
            Map.of("CRITICAL", "critical", "HIGH", "error", "MEDIUM", "warning", "LOW", "info"));
  }

  @Test
  void rate_limiting_is_retried_after_the_receivers_wait_and_a_bad_event_is_not() {
    pagerDuty.then(new Receiver.Answer(429, "", Map.of("Retry-After", "7")));
    pagerDuty.then(Receiver.Answer.of(400, "{\"status\":\"invalid event\"}"));
    Notification resolved = new Notification.IncidentResolved("inc-9", 3, "recovered");

    DeliveryResult limited = notifier.deliver(resolved);
    DeliveryResult invalid = notifier.deliver(resolved);

    assertThat(limited).isInstanceOf(DeliveryResult.Transient.class);
    assertThat(((DeliveryResult.Transient) limited).retryAfterMillis()).isEqualTo(7_000);
    assertThat(invalid).isInstanceOf(DeliveryResult.Permanent.class);
  }
}
