package dev.sentinel.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.workflow.WorkflowEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Spans, MDC and meters of the workflow's steps, with the SDK's in-memory exporter. */
class WorkflowTelemetryTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracing tracing = Tracing.withExporter(exporter, "sentinel", "test-1");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> heard = new ArrayList<>();
  private final WorkflowTelemetry telemetry =
      new WorkflowTelemetry(event -> heard.add(event.kind()), tracing, meters);

  @AfterEach
  void stop() {
    tracing.close();
  }

  @Test
  void each_node_is_a_span_of_the_incidents_trace_with_its_id_in_the_logs_meanwhile() {
    WorkflowEvents.Step analyse = telemetry.stepStarted("analyse", "inc-7");
    assertThat(MDC.get("traceId")).isEqualTo(TraceIds.of("inc-7"));
    assertThat(MDC.get("incidentId")).isEqualTo("inc-7");
    analyse.ended("ok", null);
    assertThat(MDC.get("traceId")).isNull();
    telemetry.stepStarted("execute", "inc-7").ended("error", new IllegalStateException("boom"));
    tracing.flush();

    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans)
        .extracting(SpanData::getName)
        .containsExactly("workflow analyse", "workflow execute");
    assertThat(spans)
        .allSatisfy(
            span -> {
              assertThat(span.getTraceId()).isEqualTo(TraceIds.of("inc-7"));
              assertThat(span.getAttributes().get(AttributeKey.stringKey("sentinel.incident.id")))
                  .isEqualTo("inc-7");
            });
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(1).getEvents()).extracting(e -> e.getName()).contains("exception");
    assertThat(
            meters
                .get("sentinel.workflow.step.duration")
                .tags("node", "execute", "outcome", "error")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void recorded_events_count_approvals_actions_and_rollbacks_and_reach_the_delegate() {
    telemetry.recorded(event("approval", Map.of("decision", "auto")));
    telemetry.recorded(event("action", Map.of("result", "failed")));
    telemetry.recorded(event("rollback", Map.of("verified", "true")));
    telemetry.recorded(event("escalated", Map.of()));

    assertThat(meters.get("sentinel.workflow.approvals").tag("decision", "auto").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("sentinel.workflow.actions").tag("result", "failed").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("sentinel.workflow.actions").tag("result", "applied").counter().count())
        .isZero();
    assertThat(meters.get("sentinel.workflow.rollbacks").tag("verified", "true").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("sentinel.workflow.escalations").counter().count()).isEqualTo(1);
    assertThat(heard).containsExactly("approval", "action", "rollback", "escalated");
  }

  @Test
  void without_an_endpoint_tracing_is_off() {
    Tracing off =
        Tracing.start(dev.sentinel.app.config.ObservabilityConfig.defaults(), Map.of(), "i");
    assertThat(off.enabled()).isFalse();
    assertThat(
            Tracing.tracesEndpoint(
                dev.sentinel.app.config.ObservabilityConfig.defaults(),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")))
        .contains("http://collector:4318/v1/traces");
    off.close();
  }

  private static TimelineEvent event(String kind, Map<String, String> details) {
    return new TimelineEvent("inc-1", 0, kind, "sentinel", kind, details);
  }
}
