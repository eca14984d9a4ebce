package dev.sentinel.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.analyse.RuleAnalyst;
import dev.sentinel.analyse.Signature;
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
import dev.sentinel.plan.OutcomeHistory;
import dev.sentinel.plan.Playbook;
import dev.sentinel.plan.RulePlanner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A leaking service's case file, and the pieces an LLM analyst is built from. */
final class Fixtures {

  static final long OPENED = Instant.parse("2026-11-23T09:00:00Z").toEpochMilli();
  static final SeriesKey MEMORY = SeriesKey.of("memory_bytes", Map.of("service", "api"));
  static final SeriesKey LATENCY = SeriesKey.of("http_latency_ms", Map.of("service", "api"));
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static CaseFile leak(String incidentId) {
    List<Anomaly> anomalies =
        List.of(
            anomaly(MEMORY, OPENED, 700e6),
            anomaly(MEMORY, OPENED + 60_000, 800e6),
            anomaly(LATENCY, OPENED + 120_000, 900),
            anomaly(MEMORY, OPENED + 120_000, 900e6));
    Incident incident =
        new Incident(
            incidentId,
            "service=api",
            Map.of("service", "api"),
            IncidentStatus.OPEN,
            Severity.HIGH,
            OPENED,
            OPENED + 120_000,
            0,
            anomalies.size(),
            9,
            0.9,
            Set.of(MEMORY.text(), LATENCY.text()),
            anomalies,
            null);
    return new CaseFile(
        incident, anomalies, Map.of("replicas", "3", "version", "1.4.2"), List.of());
  }

  private static Anomaly anomaly(SeriesKey series, long at, double value) {
    return new Anomaly(
        series,
        at,
        value,
        value * 0.5,
        value * 0.7,
        9,
        0.9,
        Direction.UP,
        Set.of(DetectorKind.ZSCORE));
  }

  /** Telemetry history that says memory is far above its Monday-09:00 usual. */
  static HistoricalContext history() {
    Baseline usual = new Baseline(40, 400e6, 400e6, 450e6, 480e6);
    return HistoricalContext.of(new FixedBaselineStore().weekly(MEMORY, usual), 4);
  }

  static ProviderSettings provider(
      String name, ProviderKind kind, ScriptedServer server, Duration timeout, int retries) {
    return new ProviderSettings(
        name,
        kind,
        server.baseUrl(),
        "scripted-model",
        "test-key",
        timeout,
        retries,
        0.00059,
        0.00079);
  }

  static Spending spending(SimpleMeterRegistry meters, double incidentBudget, double dailyBudget) {
    return new Spending(
        meters,
        Clock.fixed(Instant.ofEpochMilli(OPENED), ZoneOffset.UTC),
        incidentBudget,
        dailyBudget);
  }

  static ProviderChain chain(Spending spending, int maxSteps, ProviderSettings... providers) {
    return new ProviderChain(
        new LlmSettings(List.of(providers), maxSteps, 1, 10),
        new Toolbox(java.util.Optional.empty(), history(), Knowledge.defaults()),
        spending);
  }

  static RuleAnalyst rules() {
    return new RuleAnalyst(Signature.defaults());
  }

  static RulePlanner rulePlanner() {
    return new RulePlanner(Playbook.defaults(), OutcomeHistory.NONE, "simulator", "");
  }

  /** {@code {"field": "value", ...}} from pairs, escaped properly. */
  static String json(String... pairs) {
    var node = JSON.createObjectNode();
    for (int i = 0; i < pairs.length; i += 2) {
      node.put(pairs[i], pairs[i + 1]);
    }
    return node.toString();
  }

  static final String LEAK_ANSWER =
      "{\"summary\": \"api leaks memory; latency followed.\", \"firstMover\":"
          + " \"memory_bytes{service=\\\"api\\\"}\", \"hypotheses\": [{\"cause\": \"memory-leak\","
          + " \"service\": \"api\", \"confidence\": 0.86, \"evidence\": [\"memory rose from 700e6"
          + " to 900e6 and moved first\", \"900e6 is unusual: Monday 09:00 p99 is 480e6\"]}]}";
}
