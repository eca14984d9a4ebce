package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.observe.Health;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.DeskConfig;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.IncidentDesk;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.ingest.SeriesKey;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  private static Anomaly anomaly(String service, long at) {
    return new Anomaly(
        SeriesKey.of("error_ratio", Map.of("service", service)),
        at,
        0.4,
        0,
        0.01,
        8,
        0.9,
        Direction.UP,
        Set.of(DetectorKind.ZSCORE));
  }

  @Test
  void the_incidents_gauge_counts_incidents_by_state_after_a_garbage_collection() {
    InMemoryIncidentStore store = new InMemoryIncidentStore();
    AtomicLong ids = new AtomicLong();
    for (String service : new String[] {"api", "checkout", "db"}) {
      store.attach(
          "{service=" + service + "}",
          Map.of("service", service),
          anomaly(service, 1_000),
          300_000,
          10,
          () -> "inc-" + ids.incrementAndGet());
    }
    store.transition("inc-3", IncidentStatus.REMEDIATING, 2_000, null);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Telemetry.incidentGauges(meters, store, Clock.systemUTC());

    // Micrometer holds a gauge's object weakly: a gauge on an object nothing else holds reads NaN
    // once the collector has run.
    for (int i = 0; i < 3; i++) {
      System.gc();
    }

    String scrape = meters.scrape();
    assertThat(scrape).contains("sentinel_incidents{state=\"open\"} 2.0");
    assertThat(scrape).contains("sentinel_incidents{state=\"remediating\"} 1.0");
    assertThat(scrape).doesNotContain("NaN");
  }

  @Test
  void the_desk_is_degraded_while_correlation_fails_and_its_meters_show_what_it_holds()
      throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (IncidentDesk desk =
        new IncidentDesk(
                new DeskConfig(100, 10, 600),
                anomaly -> {
                  throw new IllegalStateException("the state store is unreachable");
                },
                Clock.systemUTC())
            .start()) {
      Telemetry.deskMeters(meters, desk);
      Telemetry.DeskLosses losses = new Telemetry.DeskLosses(Clock.systemUTC());
      for (int i = 0; i < 5; i++) {
        desk.accept(anomaly("svc-" + i, i));
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!desk.stats().failing() && System.nanoTime() < deadline) {
        never.await(5, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      Health health = Telemetry.deskHealth(desk, losses);
      assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(health.message()).contains("the state store is unreachable");
      assertThat(health.details()).containsEntry("held", 5);
      assertThat(meters.scrape()).contains("sentinel_incident_desk_held 5.0");
    }
  }
}
