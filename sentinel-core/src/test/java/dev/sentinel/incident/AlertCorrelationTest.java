package dev.sentinel.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Alerts from Alertmanager as signals of the correlation stage, with the in-memory store. */
class AlertCorrelationTest {

  private static final long T0 = 1_760_000_000_000L;

  private final List<String> events = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final InMemoryIncidentStore store = new InMemoryIncidentStore();
  private final Correlator correlator =
      new Correlator(
          new CorrelationConfig(List.of("service"), 60, 120, 10),
          store,
          () -> "inc-" + ids.incrementAndGet(),
          new IncidentListener() {
            @Override
            public void opened(Incident incident, Anomaly first) {
              events.add("opened " + incident.id());
            }

            @Override
            public void resolved(Incident incident) {
              events.add("resolved " + incident.id());
            }

            @Override
            public void alertFiring(Incident incident, Alert alert, Attachment.Outcome outcome) {
              events.add("alert " + alert.name() + " " + outcome + " " + incident.id());
            }

            @Override
            public void alertResolved(Incident incident, Alert alert) {
              events.add("alert " + alert.name() + " resolved on " + incident.id());
            }
          });

  static Alert firing(String fingerprint, String name, String service, long startsAt) {
    return new Alert(
        fingerprint,
        true,
        Map.of("alertname", name, "service", service, "severity", "critical"),
        Map.of("summary", name + " on " + service),
        startsAt,
        0,
        "http://prometheus/graph");
  }

  static Alert resolved(Alert alert, long endsAt) {
    return new Alert(
        alert.fingerprint(),
        false,
        alert.labels(),
        alert.annotations(),
        alert.startsAtMillis(),
        endsAt,
        alert.generatorUrl());
  }

  @Test
  void a_firing_alert_joins_the_incident_of_an_anomaly_of_the_same_service() {
    correlator.accept(CorrelatorTest.anomaly("latency_p99_ms", "checkout", T0, 5));
    AlertOutcome outcome =
        correlator.accept(firing("fp1", "HighLatency", "checkout", T0 + 5_000), T0);

    assertThat(outcome).isEqualTo(AlertOutcome.ATTACHED);
    assertThat(events).containsExactly("opened inc-1", "alert HighLatency ATTACHED inc-1");
    Incident incident = store.find("inc-1").orElseThrow();
    assertThat(incident.anomalyCount()).isEqualTo(2);
    assertThat(incident.series())
        .contains("ALERTS{alertname=\"HighLatency\",service=\"checkout\",severity=\"critical\"}");
    assertThat(incident.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(Alert.isSignal(incident.anomalies().get(1))).isTrue();
    assertThat(Alert.isSignal(incident.anomalies().get(0))).isFalse();
  }

  @Test
  void a_firing_alert_of_a_service_without_an_incident_opens_one() {
    assertThat(correlator.accept(firing("fp1", "Down", "cart", T0), T0))
        .isEqualTo(AlertOutcome.OPENED);
    assertThat(store.find("inc-1").orElseThrow().groupLabels())
        .containsExactly(Map.entry("service", "cart"));
  }

  @Test
  void a_re_sent_alert_is_a_duplicate_by_fingerprint() {
    Alert alert = firing("fp1", "Down", "cart", T0);
    correlator.accept(alert, T0);
    assertThat(correlator.accept(alert, T0 + 60_000)).isEqualTo(AlertOutcome.DUPLICATE);
    assertThat(store.find("inc-1").orElseThrow().anomalyCount()).isEqualTo(1);
    assertThat(events).hasSize(1);
  }

  @Test
  void an_incident_of_alerts_only_resolves_when_its_last_alert_resolves() {
    Alert down = firing("fp1", "Down", "cart", T0);
    Alert slow = firing("fp2", "Slow", "cart", T0 + 1_000);
    correlator.accept(down, T0);
    correlator.accept(slow, T0);

    assertThat(correlator.accept(resolved(slow, T0 + 10_000), T0 + 10_000))
        .isEqualTo(AlertOutcome.NOTED);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(correlator.accept(resolved(down, T0 + 20_000), T0 + 20_000))
        .isEqualTo(AlertOutcome.RESOLVED_INCIDENT);

    Incident incident = store.find("inc-1").orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incident.resolvedAtMillis()).isEqualTo(T0 + 20_000);
    assertThat(incident.resolution()).contains("alerts resolved");
    assertThat(events).endsWith("alert Down resolved on inc-1", "resolved inc-1");
  }

  @Test
  void an_anomaly_after_the_alert_began_keeps_the_incident_for_the_quiet_time_sweep() {
    Alert down = firing("fp1", "Down", "cart", T0);
    correlator.accept(down, T0);
    correlator.accept(CorrelatorTest.anomaly("errors", "cart", T0 + 30_000, 5));

    assertThat(correlator.accept(resolved(down, T0 + 40_000), T0 + 40_000))
        .isEqualTo(AlertOutcome.NOTED);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);
    correlator.sweep(T0 + 30_000 + 120_000);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  @Test
  void the_sweep_leaves_an_incident_open_while_an_alert_fires_on_it() {
    correlator.accept(firing("fp1", "Down", "cart", T0), T0);
    correlator.sweep(T0 + 3_600_000);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);
  }

  @Test
  void a_resolved_alert_leaves_an_incident_that_the_workflow_owns_alone() {
    Alert down = firing("fp1", "Down", "cart", T0);
    correlator.accept(down, T0);
    store.transition("inc-1", IncidentStatus.REMEDIATING, T0 + 1_000, null);

    assertThat(correlator.accept(resolved(down, T0 + 5_000), T0 + 5_000))
        .isEqualTo(AlertOutcome.NOTED);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.REMEDIATING);
  }

  @Test
  void a_resolved_alert_never_seen_firing_is_unmatched() {
    Alert down = firing("fp9", "Down", "cart", T0);
    assertThat(correlator.accept(resolved(down, T0 + 5_000), T0 + 5_000))
        .isEqualTo(AlertOutcome.UNMATCHED);
    assertThat(events).isEmpty();
  }

  @Test
  void a_still_firing_alert_re_sent_after_its_incident_resolved_reopens_it() {
    Alert down = firing("fp1", "Down", "cart", T0);
    correlator.accept(down, T0);
    store.transition("inc-1", IncidentStatus.RESOLVED, T0 + 1_000, "fixed by hand");

    assertThat(correlator.accept(down, T0 + 2_000)).isEqualTo(AlertOutcome.REOPENED);
  }
}
