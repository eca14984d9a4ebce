package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.Incidents;
import dev.sentinel.ingest.SeriesKey;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one-line title the incident list shows: the metrics that moved and where. */
class IncidentTitleTest {

  private static Anomaly anomaly(String metric, long at, Direction direction) {
    return new Anomaly(
        SeriesKey.of(metric, Map.of("service", "checkout")),
        at,
        0.4,
        0.0,
        0.05,
        6,
        0.9,
        direction,
        Set.of());
  }

  @Test
  void names_the_metric_and_the_service() {
    Incident incident =
        Incidents.opened(
            "inc-1",
            "service=checkout",
            Map.of("service", "checkout"),
            anomaly("error_rate", 1_000, Direction.UP));
    assertThat(Views.IncidentSummary.of(incident).title())
        .isEqualTo("error_rate anomalous on checkout");
  }

  @Test
  void names_each_metric_once_in_order() {
    Incident incident =
        Incidents.opened(
            "inc-2",
            "service=checkout",
            Map.of("service", "checkout"),
            anomaly("latency_ms", 2_000, Direction.DOWN));
    incident = Incidents.with(incident, anomaly("error_rate", 5_000, Direction.UP), 100);
    incident = Incidents.with(incident, anomaly("error_rate", 6_000, Direction.UP), 100);
    assertThat(Views.IncidentSummary.of(incident).title())
        .isEqualTo("error_rate and latency_ms anomalous on checkout");
  }

  @Test
  void without_a_service_it_names_the_group() {
    Incident incident =
        Incidents.opened(
            "inc-3", "zone=eu", Map.of("zone", "eu"), anomaly("cpu", 1_000, Direction.UP));
    assertThat(Views.IncidentSummary.of(incident).title()).isEqualTo("cpu anomalous on zone=eu");
  }
}
