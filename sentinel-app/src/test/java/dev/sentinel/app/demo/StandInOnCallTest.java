package dev.sentinel.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.testing.ManualClock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StandInOnCallTest {

  private static final long T0 = 1_800_000_000_000L;

  private final ManualClock clock = new ManualClock(T0);
  private final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final StandInOnCall onCall =
      new StandInOnCall(incidents, audit, java.util.Optional.empty(), clock);

  private String incident(String service, IncidentStatus status) {
    Map<String, String> group = Map.of("service", service);
    Anomaly anomaly =
        new Anomaly(
            SeriesKey.of("request_rate", group),
            T0,
            10,
            0,
            5,
            2,
            0.6,
            Direction.UP,
            Set.of(DetectorKind.LEVEL_SHIFT));
    String id =
        incidents
            .attach(group.toString(), group, anomaly, 60_000, 10, () -> "inc-" + service)
            .incident()
            .id();
    if (status != IncidentStatus.OPEN) {
      incidents.transition(id, status, T0, null);
    }
    return id;
  }

  @Test
  void an_escalated_incident_quiet_for_long_enough_is_closed_and_audited() {
    String escalated = incident("cache", IncidentStatus.ESCALATED);
    String waiting = incident("api", IncidentStatus.AWAITING_APPROVAL);

    assertThat(onCall.closeQuietEscalations(120_000)).isZero();
    clock.advance(121_000);
    assertThat(onCall.closeQuietEscalations(120_000)).isEqualTo(1);

    assertThat(incidents.find(escalated).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incidents.find(escalated).orElseThrow().resolution()).contains("stand-in");
    assertThat(incidents.find(waiting).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(audit.find(AuditQuery.forIncident(escalated)))
        .anyMatch(
            entry ->
                entry.record().action() == AuditAction.INCIDENT_RESOLVED
                    && entry.record().actor().equals(StandInOnCall.ACTOR));
  }
}
