package dev.sentinel.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.notify.Delivery;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.InMemoryOutbox;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifications;
import dev.sentinel.notify.Notifier;
import dev.sentinel.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The correlator's news: told to the usual listener first, then notified and shown live. */
class IncidentAnnouncerTest {

  private final ManualClock clock = new ManualClock(7_000);
  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final IncidentFeed feed = new IncidentFeed();
  private final List<String> heard = new ArrayList<>();
  private final List<String> shown = new ArrayList<>();

  private final IncidentListener narrator =
      new IncidentListener() {
        @Override
        public void opened(Incident incident, Anomaly first) {
          heard.add("opened " + incident.id());
        }

        @Override
        public void resolved(Incident incident) {
          heard.add("resolved " + incident.id());
        }

        @Override
        public void deduplicated(
            Incident incident, Anomaly anomaly, String groupKey, double similarity, String text) {
          heard.add("deduplicated " + groupKey + " into " + incident.id() + " at " + similarity);
        }
      };

  private final IncidentAnnouncer announcer =
      new IncidentAnnouncer(
          narrator, new Notifications(outbox, List.of(everything()), clock), feed, clock);

  IncidentAnnouncerTest() {
    feed.subscribe(change -> shown.add(change.get("kind") + " " + change.get("incidentId")));
  }

  private static Notifier everything() {
    return new Notifier() {
      @Override
      public String channel() {
        return "all";
      }

      @Override
      public boolean wants(Notification notification) {
        return true;
      }

      @Override
      public DeliveryResult deliver(Notification notification) {
        return new DeliveryResult.Sent("ok");
      }
    };
  }

  private static Incident incident(IncidentStatus status, String resolution) {
    return new Incident(
        "inc-9",
        "service=api",
        Map.of("service", "api"),
        status,
        Severity.HIGH,
        1,
        1,
        0,
        1,
        9,
        1,
        Set.of(),
        List.of(),
        resolution);
  }

  @Test
  void an_opened_incident_is_notified_with_its_service_severity_and_first_anomaly() {
    Anomaly first =
        new Anomaly(
            SeriesKey.of("error_rate", Map.of("service", "api")),
            1,
            0.25,
            0.0,
            0.01,
            12,
            0.9,
            Direction.UP,
            Set.of(DetectorKind.values()[0]));

    announcer.opened(incident(IncidentStatus.OPEN, null), first);

    assertThat(heard).containsExactly("opened inc-9");
    Notification opened =
        outbox.claim(Long.MAX_VALUE, 10, 1).stream()
            .map(Delivery::notification)
            .findFirst()
            .orElseThrow();
    assertThat(opened).isInstanceOf(Notification.IncidentOpened.class);
    Notification.IncidentOpened fields = (Notification.IncidentOpened) opened;
    assertThat(fields.service()).isEqualTo("api");
    assertThat(fields.severity()).isEqualTo("HIGH");
    assertThat(fields.summary())
        .isEqualTo("error_rate{service=\"api\"} = 0.2500 outside the expected 0.000..0.01000");
    assertThat(shown).containsExactly("opened inc-9");
  }

  @Test
  void a_quietly_resolved_incident_is_notified_as_resolved() {
    announcer.resolved(incident(IncidentStatus.RESOLVED, "quiet for 600 s"));

    assertThat(heard).containsExactly("resolved inc-9");
    assertThat(outbox.claim(Long.MAX_VALUE, 10, 1))
        .extracting(Delivery::notification)
        .containsExactly(new Notification.IncidentResolved("inc-9", 7_000, "quiet for 600 s"));
    assertThat(shown).containsExactly("resolved inc-9");
  }

  @Test
  void a_deduplicated_group_reaches_the_narrator_and_the_live_feed() {
    Anomaly anomaly =
        new Anomaly(
            SeriesKey.of("latency_p50_ms", Map.of("service", "checkout")),
            1,
            130,
            20,
            40,
            50,
            0.9,
            Direction.UP,
            Set.of(DetectorKind.values()[0]));

    announcer.deduplicated(
        incident(IncidentStatus.OPEN, null), anomaly, "service=checkout", 0.84, "service checkout");

    assertThat(heard).containsExactly("deduplicated service=checkout into inc-9 at 0.84");
    assertThat(shown).containsExactly("deduplicated inc-9");
  }
}
