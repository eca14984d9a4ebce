package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.incident.Alert;
import dev.sentinel.incident.AlertOutcome;
import dev.sentinel.incident.CorrelationConfig;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.FiringAlerts;
import dev.sentinel.incident.FiringAlertsContract;
import dev.sentinel.incident.IncidentStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The firing-alerts contract on PostgreSQL, where "the same state again" is a new adapter on the
 * same database; and two correlators, as two instances behind one load balancer, sharing it.
 */
class PostgresFiringAlertsTest extends FiringAlertsContract {

  private static final long T0 = 1_760_000_000_000L;

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource =
        TestDatabases.emptied(
            "firing_alerts", "incident_events", "incident_anomalies", "incidents");
  }

  @Override
  protected FiringAlerts alerts() {
    return new PostgresFiringAlerts(dataSource);
  }

  @Override
  protected FiringAlerts sameStateAgain() {
    return new PostgresFiringAlerts(dataSource);
  }

  private Correlator instance(PostgresIncidentStore store, AtomicInteger ids) {
    return new Correlator(
        new CorrelationConfig(List.of("service"), 60, 120, 10),
        store,
        new PostgresFiringAlerts(dataSource),
        () -> "inc-" + ids.incrementAndGet(),
        (incident, first) -> {},
        java.util.Optional.empty());
  }

  private static Alert alert(boolean firing, long endsAt) {
    return new Alert(
        "fp-checkout-down",
        firing,
        Map.of("alertname", "CheckoutDown", "service", "checkout"),
        Map.of("summary", "checkout is down"),
        T0,
        endsAt,
        "http://prometheus/graph");
  }

  @Test
  void a_re_send_on_another_instance_is_a_duplicate_and_no_instance_sweeps_while_it_fires() {
    PostgresIncidentStore store = new PostgresIncidentStore(dataSource);
    AtomicInteger ids = new AtomicInteger();
    Correlator first = instance(store, ids);
    Correlator second = instance(store, ids);

    assertThat(first.accept(alert(true, 0), T0)).isEqualTo(AlertOutcome.OPENED);
    assertThat(second.accept(alert(true, 0), T0 + 60_000)).isEqualTo(AlertOutcome.DUPLICATE);
    // Long past the quiet time: the alert still fires, so neither sweeps the incident.
    second.sweep(T0 + 3_600_000);
    first.sweep(T0 + 3_600_000);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);

    // The resolution lands on the instance that did not see it fire.
    assertThat(second.accept(alert(false, T0 + 3_700_000), T0 + 3_700_000))
        .isEqualTo(AlertOutcome.RESOLVED_INCIDENT);
    assertThat(store.find("inc-1").orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(ids.get()).isEqualTo(1);
  }
}
