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
  private final Correlator correlator =
      new Correlator(
          new CorrelationConfig(List.of("service"), 60, 120, 10),
          () -> "inc-" + ids.incrementAndGet(),
          new IncidentListener() {
            @Override
            public void opened(Incident incident, Anomaly first) {
              events.add("opened " + incident.id());
            }

            @Override
            public void attached(Incident incident, Anomaly anomaly) {
              events.add("attached " + incident.id());
            }

            @Override
            public void resolved(Incident incident) {
              events.add("resolved " + incident.id());
            }
          });

  private static Anomaly anomaly(String metric, String service, long at, double score) {
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
  void anomalies_of_one_service_within_the_window_make_one_incident() {
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("error_rate", "api", T0 + 30_000, 5));
    correlator.accept(anomaly("latency_p99_ms", "api", T0 + 80_000, 6));

    assertThat(events).containsExactly("opened inc-1", "attached inc-1", "attached inc-1");
    Incident incident = correlator.find("inc-1").orElseThrow();
    assertThat(incident.anomalyCount()).isEqualTo(3);
    assertThat(incident.series()).hasSize(2);
    assertThat(incident.groupLabels()).containsExactly(Map.entry("service", "api"));
    assertThat(incident.service()).isEqualTo("api");
  }

  @Test
  void different_services_open_different_incidents() {
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 1000, 4));
    assertThat(correlator.openCount()).isEqualTo(2);
    assertThat(correlator.list(i -> "db".equals(i.service()), 10)).hasSize(1);
  }

  @Test
  void an_anomaly_after_the_window_resolves_the_old_incident_and_opens_a_new_one() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    correlator.accept(anomaly("error_rate", "api", T0 + 61_000, 4));
    assertThat(events).containsExactly("opened inc-1", "resolved inc-1", "opened inc-2");
    assertThat(correlator.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  @Test
  void a_quiet_incident_is_resolved_by_the_sweep() {
    correlator.accept(anomaly("error_rate", "api", T0, 4));
    correlator.sweep(T0 + 119_000);
    assertThat(correlator.openCount()).isEqualTo(1);
    correlator.sweep(T0 + 120_000);
    assertThat(correlator.openCount()).isZero();
    assertThat(correlator.find("inc-1").orElseThrow().resolvedAtMillis()).isEqualTo(T0 + 120_000);
  }

  @Test
  void severity_grows_with_the_strongest_anomaly() {
    correlator.accept(anomaly("error_rate", "api", T0, 3.5));
    assertThat(correlator.find("inc-1").orElseThrow().severity()).isEqualTo(Severity.LOW);
    correlator.accept(anomaly("error_rate", "api", T0 + 1000, 20));
    assertThat(correlator.find("inc-1").orElseThrow().severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void the_timeline_is_capped_but_the_count_goes_on() {
    for (int i = 0; i < 15; i++) {
      correlator.accept(anomaly("error_rate", "api", T0 + i * 1000L, 4));
    }
    Incident incident = correlator.find("inc-1").orElseThrow();
    assertThat(incident.anomalies()).hasSize(10);
    assertThat(incident.anomalyCount()).isEqualTo(15);
  }

  @Test
  void anomalies_without_group_labels_group_by_metric_name() {
    Anomaly bare =
        new Anomaly(
            SeriesKey.of("queue_depth"), T0, 9, 0, 1, 5, 1, Direction.UP, Set.of(DetectorKind.ROBUST));
    correlator.accept(bare);
    assertThat(correlator.find("inc-1").orElseThrow().groupKey()).isEqualTo("queue_depth");
  }

  @Test
  void a_resolved_incident_cannot_reopen() {
    assertThatThrownBy(() -> IncidentStatus.RESOLVED.checkTransition(IncidentStatus.OPEN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RESOLVED -> OPEN");
  }
}
