package dev.sentinel.analyse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.history.Baseline;
import dev.sentinel.history.FixedBaselineStore;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import dev.sentinel.ingest.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleAnalystTest {

  private static final long OPENED = 1_800_000_000_000L;

  private final FixedBaselineStore store = new FixedBaselineStore();
  private RuleAnalyst analyst = new RuleAnalyst(Signature.defaults());
  private final List<Anomaly> anomalies = new ArrayList<>();

  private void anomaly(String metric, long offsetMillis, double value, Direction direction) {
    anomaly(metric, offsetMillis, value, direction, 0.9);
  }

  private void anomaly(
      String metric, long offsetMillis, double value, Direction direction, double confidence) {
    anomalies.add(
        new Anomaly(
            SeriesKey.of(metric, Map.of("service", "checkout")),
            OPENED + offsetMillis,
            value,
            0,
            10,
            8,
            confidence,
            direction,
            Set.of(DetectorKind.ZSCORE)));
  }

  private Analysis analyse(Map<String, String> targetState) {
    Incident incident =
        new Incident(
            "inc-1",
            "service=checkout",
            Map.of("service", "checkout"),
            IncidentStatus.OPEN,
            Severity.HIGH,
            OPENED,
            OPENED,
            0,
            anomalies.size(),
            8,
            0.9,
            Set.of(),
            anomalies,
            null);
    return analyst.analyse(new CaseFile(incident, anomalies, targetState, List.of()));
  }

  @Test
  void a_lone_error_rate_rise_is_an_error_burst() {
    anomaly("error_rate", 0, 0.2, Direction.UP);
    anomaly("error_rate", 1000, 0.19, Direction.UP);

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.hypotheses().getFirst().cause()).isEqualTo("error-burst");
    assertThat(analysis.summary()).contains("error-burst in checkout").contains("error_rate");
  }

  @Test
  void memory_that_keeps_rising_is_a_leak() {
    for (int i = 0; i < 6; i++) {
      anomaly("memory_used_bytes", i * 1000L, 100 + i * 10, Direction.UP);
    }

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.hypotheses().getFirst().cause()).isEqualTo("memory-leak");
    assertThat(analysis.hypotheses().getFirst().evidence().getFirst()).contains("rising from 100");
  }

  @Test
  void memory_that_jumps_up_and_down_is_no_leak() {
    double[] values = {150, 110, 160, 105, 155, 100};
    for (int i = 0; i < values.length; i++) {
      anomaly("memory_used_bytes", i * 1000L, values[i], Direction.UP);
    }

    assertThat(analyse(Map.of()).hypotheses())
        .extracting(Hypothesis::cause)
        .doesNotContain("memory-leak");
  }

  @Test
  void overload_moving_latency_cpu_and_queues_together_is_saturation_not_a_latency_spike() {
    // CPU pinned at 100% is a weaker anomaly than the latency it causes: a narrower signature
    // that sees only the latency would win on confidence alone.
    anomaly("request_rate", 0, 800, Direction.UP, 0.9);
    anomaly("latency_p50_ms", 100, 740, Direction.UP, 0.95);
    anomaly("latency_p99_ms", 200, 9000, Direction.UP, 0.95);
    anomaly("error_rate", 300, 0.04, Direction.UP, 0.7);
    anomaly("cpu_utilization", 400, 1.0, Direction.UP, 0.6);
    anomaly("queue_depth", 500, 168, Direction.UP, 0.9);

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.hypotheses().getFirst().cause()).isEqualTo("saturation");
    assertThat(analysis.summary()).contains("request_rate").contains("moved first");
  }

  @Test
  void errors_and_latency_right_after_a_deploy_point_at_the_deploy() {
    anomaly("error_rate", 0, 0.08, Direction.UP);
    anomaly("latency_p99_ms", 500, 400, Direction.UP);
    Map<String, String> justDeployed =
        Map.of(
            "version",
            "v1.9.0",
            "previousVersion",
            "v1.8.3",
            "changedAtMillis",
            Long.toString(OPENED - 60_000));

    Analysis analysis = analyse(justDeployed);

    assertThat(analysis.hypotheses().getFirst().cause()).isEqualTo("bad-deploy");
    assertThat(analysis.hypotheses().getFirst().evidence())
        .anyMatch(line -> line.contains("v1.9.0") && line.contains("v1.8.3"));
  }

  @Test
  void the_same_symptoms_without_a_recent_change_do_not_blame_a_deploy() {
    anomaly("error_rate", 0, 0.08, Direction.UP);
    anomaly("latency_p99_ms", 500, 400, Direction.UP);
    Map<String, String> deployedLastWeek =
        Map.of("version", "v1.9.0", "changedAtMillis", Long.toString(OPENED - 7 * 86_400_000L));

    assertThat(analyse(deployedLastWeek).hypotheses().getFirst().cause())
        .isNotEqualTo("bad-deploy");
  }

  @Test
  void a_metric_no_signature_knows_asks_for_a_human_and_names_what_moved_first() {
    anomaly("disk_free_bytes", 0, 3, Direction.DOWN);

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.hypotheses()).isEmpty();
    assertThat(analysis.summary()).contains("No known signature fits").contains("disk_free_bytes");
  }

  @Test
  void hypotheses_come_best_first_with_confidences_in_range() {
    anomaly("latency_p50_ms", 0, 500, Direction.UP);
    anomaly("error_rate", 100, 0.2, Direction.UP);

    List<Hypothesis> hypotheses = analyse(Map.of()).hypotheses();

    assertThat(hypotheses).hasSizeGreaterThan(1);
    assertThat(hypotheses)
        .extracting(Hypothesis::confidence)
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(hypotheses).allSatisfy(h -> assertThat(h.confidence()).isBetween(0.0, 1.0));
  }

  @Test
  void without_a_telemetry_store_the_analysis_says_it_judged_from_memory_only() {
    anomaly("error_rate", 0, 0.2, Direction.UP);

    assertThat(analyse(Map.of()).summary())
        .contains("History unavailable (no telemetry store is configured)")
        .contains("in-memory state only");
  }

  @Test
  void history_that_finds_the_spike_unusual_is_cited_as_evidence() {
    anomaly("error_rate", 0, 0.2, Direction.UP);
    store.weekly(anomalies.getFirst().series(), new Baseline(240, 0.003, 0.002, 0.0035, 0.004));
    analyst = new RuleAnalyst(Signature.defaults(), HistoricalContext.of(store, 4));

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.summary())
        .contains("1 of 1 symptoms are unusual for this time of the week");
    assertThat(analysis.hypotheses().getFirst().evidence())
        .anyMatch(line -> line.startsWith("history: ") && line.contains("is unusual for"));
  }

  @Test
  void a_spike_that_is_usual_for_the_time_of_week_halves_the_confidence_and_says_why() {
    anomaly("error_rate", 0, 0.2, Direction.UP);
    double alone = analyse(Map.of()).hypotheses().getFirst().confidence();
    store.weekly(anomalies.getFirst().series(), new Baseline(240, 0.15, 0.15, 0.2, 0.25));
    analyst = new RuleAnalyst(Signature.defaults(), HistoricalContext.of(store, 4));

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.hypotheses().getFirst().confidence()).isCloseTo(alone / 2, within(1e-9));
    assertThat(analysis.summary()).contains("may be a normal peak rather than a fault");
  }

  @Test
  void a_failing_store_degrades_to_memory_and_says_why() {
    anomaly("error_rate", 0, 0.2, Direction.UP);
    store.fail("connection refused");
    analyst = new RuleAnalyst(Signature.defaults(), HistoricalContext.of(store, 4));

    Analysis analysis = analyse(Map.of());

    assertThat(analysis.hypotheses().getFirst().cause()).isEqualTo("error-burst");
    assertThat(analysis.summary()).contains("connection refused").contains("in-memory state only");
  }
}
