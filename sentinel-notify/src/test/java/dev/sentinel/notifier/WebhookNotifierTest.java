package dev.sentinel.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.DeliveryWorker;
import dev.sentinel.notify.InMemoryOutbox;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifications;
import dev.sentinel.notify.RetryPolicy;
import dev.sentinel.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ManualClock clock = new ManualClock(1_795_867_200_000L);
  private final Receiver receiver = new Receiver(Receiver.Answer.of(204, ""));
  private final WebhookNotifier webhook =
      new WebhookNotifier("ops", receiver.url("/hook"), "s3cret", clock, Duration.ofSeconds(5));

  WebhookNotifierTest() throws Exception {}

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void posts_the_event_as_json_signed_with_hmac_sha256_over_timestamp_and_body() throws Exception {
    Notification opened =
        new Notification.IncidentOpened(
            "inc-7", 1_795_867_100_000L, "checkout", "HIGH", "latency up");

    assertThat(webhook.deliver(opened)).isInstanceOf(DeliveryResult.Sent.class);

    Receiver.Request request = receiver.requests.getFirst();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("X-Request-ID")).isNotBlank();
    assertThat(request.path()).isEqualTo("/hook");
    assertThat(JSON.readTree(request.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"id": "incident.opened:inc-7:1795867100000", "kind": "incident.opened",
                 "incidentId": "inc-7", "at": "2026-11-28T11:58:20Z",
                 "data": {"service": "checkout", "severity": "HIGH", "summary": "latency up"}}
                """));
    assertThat(request.header("X-Sentinel-Event")).isEqualTo("incident.opened");
    assertThat(request.header("X-Sentinel-Timestamp")).isEqualTo("1795867200");
    assertThat(request.header("Content-Type")).startsWith("application/json");
    // What a receiver does to verify it, written out independently of the notifier's code.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("s3cret".getBytes(), "HmacSHA256"));
    String expected =
        "sha256="
            + java.util.HexFormat.of()
                .formatHex(mac.doFinal(("1795867200." + request.body()).getBytes()));
    assertThat(request.header("X-Sentinel-Signature")).isEqualTo(expected);
  }

  @Test
  void a_signature_made_with_another_secret_does_not_match() {
    String body = "{\"kind\":\"incident.opened\"}";
    assertThat(WebhookNotifier.signature("s3cret", "1", body))
        .isNotEqualTo(WebhookNotifier.signature("other", "1", body))
        .isNotEqualTo(WebhookNotifier.signature("s3cret", "2", body));
  }

  @Test
  void a_receiver_that_fails_several_times_gets_the_same_event_until_it_takes_it()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      receiver.then(Receiver.Answer.of(503, "down for maintenance"));
    }
    InMemoryOutbox outbox = new InMemoryOutbox();
    InMemoryAuditTrail audit = new InMemoryAuditTrail();
    DeliveryWorker worker =
        new DeliveryWorker(
            outbox,
            List.of(webhook),
            new RetryPolicy(6, 1_000, 30_000),
            audit,
            clock,
            new SplittableRandom(3),
            30_000,
            10);
    new Notifications(outbox, List.of(webhook), clock)
        .publish(new Notification.IncidentResolved("inc-7", 1, "recovered after restart"));

    for (int round = 0; round < 10 && outbox.counts().get("pending") > 0; round++) {
      worker.runOnce();
      clock.advance(10_000);
    }

    assertThat(receiver.requests).hasSize(4);
    assertThat(receiver.requests.stream().map(Receiver.Request::body).distinct()).hasSize(1);
    // Every retry names the same delivery, so the receiver can tell a retry from a new event.
    assertThat(receiver.requests.stream().map(r -> r.header("X-Request-ID")).distinct())
        .singleElement()
        .asString()
        .startsWith("notification-");
    assertThat(outbox.counts()).containsEntry("delivered", 1L);
    assertThat(audit.find(dev.sentinel.audit.AuditQuery.all(10)).getFirst().record().details())
        .containsEntry("attempts", "4")
        .containsEntry("channel", "webhook:ops");
  }

  @Test
  void a_4xx_is_permanent_and_a_refused_connection_transient() throws Exception {
    receiver.then(Receiver.Answer.of(410, "gone"));
    Notification resolved = new Notification.IncidentResolved("inc-7", 1, "ok");

    assertThat(webhook.deliver(resolved)).isEqualTo(new DeliveryResult.Permanent("HTTP 410: gone"));
    WebhookNotifier nowhere =
        new WebhookNotifier("x", "http://127.0.0.1:1/hook", "s", clock, Duration.ofSeconds(2));
    assertThat(nowhere.deliver(resolved)).isInstanceOf(DeliveryResult.Transient.class);
  }
}
