package dev.sentinel.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.ingest.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CorrelatorTest {

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
            public void reopened(Incident incident, Anomaly anomaly) {
              events.add("reopened " + incident.id());
            }

            @Override
            public void attached(Incident incident, Anomaly anomaly, boolean newSeries) {
              events.add("attached " + incident.id() + (newSeries ? " new-series" : ""));
            }

            @Override
            public void resolved(Incident incident) {
              events.add("resolved " + incident.id());
            }
          });

  static Anomaly anomaly(String metric, String service, long at, double score) {
    return new Anomaly(
        SeriesKey.of(metric, Map.of("service", service, "host", service + "-1")),
        at,
        100,
        10,
        20,
        score,
        0.9,
        Direction.UP,
        Set.of(DetectorKind.ZSCORE));
  }

  @Test
  void anomalies_of_one_open_incident_group_make_one_incident() {
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("error_rate", "api", T0 + 30_000, 5));
    correlator.accept(anomaly("latency_p99_ms", "api", T0 + 3_600_000, 6));

    assertThat(events)
        .containsExactly("opened inc-1", "attached inc-1 new-series", "attached inc-1");
    Incident incident = store.find("inc-1").orElseThrow();
    assertThat(incident.anomalyCount()).isEqualTo(3);
    assertThat(incident.series()).hasSize(2);
    assertThat(incident.groupLabels()).containsExactly(Map.entry("service", "api"));
    assertThat(incident.service()).isEqualTo("api");
    assertThat(store.totals()).isEqualTo(new IncidentStore.Totals(3, 1, 1));
  }

  @Test
  void different_services_open_different_incidents() {
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 1000, 4));
    assertThat(store.totals().open()).isEqualTo(2);
    assertThat(store.list(new IncidentFilter(null, "db", null, null, null), 10)).hasSize(1);
  }

  @Test
  void a_flap_soon_after_resolution_reopens_instead_of_opening_another() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    store.transition("inc-1", IncidentStatus.RESOLVED, T0 + 10_000, "fixed");
    correlator.accept(anomaly("error_rate", "api", T0 + 50_000, 4));
    assertThat(events).containsExactly("opened inc-1", "reopened inc-1");
    Incident reopened = store.find("inc-1").orElseThrow();
    assertThat(reopened.status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(reopened.resolution()).isNull();
    assertThat(reopened.anomalyCount()).isEqualTo(2);
  }

  @Test
  void the_same_problem_long_after_resolution_is_a_new_incident() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    store.transition("inc-1", IncidentStatus.RESOLVED, T0 + 10_000, "fixed");
    correlator.accept(anomaly("error_rate", "api", T0 + 71_000, 4));
    assertThat(events).containsExactly("opened inc-1", "opened inc-2");
  }

  @Test
  void a_quiet_untouched_incident_is_resolved_by_the_sweep() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    correlator.sweep(T0 + 119_000);
    assertThat(store.totals().open()).isEqualTo(1);
    correlator.sweep(T0 + 120_000);
    assertThat(store.totals().open()).isZero();
    Incident resolved = store.find("inc-1").orElseThrow();
    assertThat(resolved.resolvedAtMillis()).isEqualTo(T0 + 120_000);
    assertThat(resolved.resolution()).startsWith("recovered without action");
  }

  @Test
  void the_sweep_leaves_incidents_that_are_being_worked_on() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    store.transition("inc-1", IncidentStatus.AWAITING_APPROVAL, T0 + 1000, null);
    correlator.sweep(T0 + 3_600_000);
    assertThat(store.find("inc-1").orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
  }

  @Test
  void severity_grows_with_the_strongest_anomaly() {
    correlator.accept(anomaly("error_rate", "api", T0, 3.5));
    assertThat(store.find("inc-1").orElseThrow().severity()).isEqualTo(Severity.LOW);
    correlator.accept(anomaly("error_rate", "api", T0 + 1000, 20));
    assertThat(store.find("inc-1").orElseThrow().severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void the_kept_anomalies_are_capped_but_the_count_goes_on() {
    for (int i = 0; i < 15; i++) {
      correlator.accept(anomaly("error_rate", "api", T0 + i * 1000L, 4));
    }
    Incident incident = store.find("inc-1").orElseThrow();
    assertThat(incident.anomalies()).hasSize(10);
    assertThat(incident.anomalyCount()).isEqualTo(15);
  }

  @Test
  void anomalies_without_group_labels_group_by_metric_name() {
    Anomaly bare =
        new Anomaly(
            SeriesKey.of("queue_depth"),
            T0,
            9,
            0,
            1,
            5,
            1,
            Direction.UP,
            Set.of(DetectorKind.ROBUST));
    correlator.accept(bare);
    assertThat(store.find("inc-1").orElseThrow().groupKey()).isEqualTo("queue_depth");
  }

  @Test
  void illegal_transitions_fail_loudly() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    store.transition("inc-1", IncidentStatus.RESOLVED, T0 + 1, "fixed");
    assertThatThrownBy(
            () -> store.transition("inc-1", IncidentStatus.AWAITING_APPROVAL, T0 + 2, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RESOLVED -> AWAITING_APPROVAL");
  }
}
