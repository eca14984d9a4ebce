package dev.sentinel.app.observe;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.plan.Plan;
import dev.sentinel.workflow.WorkflowEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import org.slf4j.MDC;

/**
 * Wraps the workflow's events hook with Sentinel's own telemetry: a span per workflow node (with
 * the incident's id), the incident's trace id in the logs' MDC while a node runs, and the meters of
 * the workflow (step durations, approvals, actions by result, rollbacks, escalations).
 *
 * <p>Every span of one incident shares a trace id derived from the incident id ({@link
 * TraceIds#of}), under a stand-in parent span: a run resumes on any instance after an approval or a
 * crash, so there is no live root span to hang the nodes from, yet a trace view shows the whole
 * incident, and its log lines carry the same id.
 */
public final class WorkflowTelemetry implements WorkflowEvents {

  public static final String TRACE_ID = "traceId";
  public static final String INCIDENT_ID = "incidentId";
  private static final AttributeKey<String> INCIDENT =
      AttributeKey.stringKey("sentinel.incident.id");
  private static final AttributeKey<String> NODE = AttributeKey.stringKey("sentinel.workflow.node");
  private static final AttributeKey<String> OUTCOME =
      AttributeKey.stringKey("sentinel.workflow.outcome");

  private final WorkflowEvents delegate;
  private final Tracer tracer;
  private final MeterRegistry meters;

  public WorkflowTelemetry(WorkflowEvents delegate, Tracing tracing, MeterRegistry meters) {
    this.delegate = delegate;
    this.tracer = tracing.openTelemetry().getTracer("dev.sentinel.workflow");
    this.meters = meters;
    // Registered up front so dashboards and rules see zeros rather than absent series.
    for (String decision : new String[] {"auto", "requested", "approved", "rejected"}) {
      approvals(decision);
    }
    for (String result : new String[] {"applied", "failed", "refused", "dry-run"}) {
      actions(result);
    }
    rollbacks("true");
    rollbacks("false");
    escalations();
  }

  @Override
  public void recorded(TimelineEvent event) {
    switch (event.kind()) {
      case "approval" -> approvals(event.details().getOrDefault("decision", "unknown")).increment();
      case "action" -> actions(event.details().getOrDefault("result", "unknown")).increment();
      case "rollback" -> rollbacks(event.details().getOrDefault("verified", "false")).increment();
      case "escalated" -> escalations().increment();
      default -> {}
    }
    delegate.recorded(event);
  }

  @Override
  public void approvalNeeded(Incident incident, Plan plan, String reason) {
    delegate.approvalNeeded(incident, plan, reason);
  }

  @Override
  public Step stepStarted(String node, String incidentId) {
    String traceId = TraceIds.of(incidentId);
    SpanContext incidentTrace =
        SpanContext.createFromRemoteParent(
            traceId,
            TraceIds.spanIdOf(incidentId),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span span =
        tracer
            .spanBuilder("workflow " + node)
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(Context.root().with(Span.wrap(incidentTrace)))
            .setAttribute(INCIDENT, incidentId)
            .setAttribute(NODE, node)
            .startSpan();
    Scope scope = span.makeCurrent();
    String previousTrace = MDC.get(TRACE_ID);
    String previousIncident = MDC.get(INCIDENT_ID);
    MDC.put(TRACE_ID, traceId);
    MDC.put(INCIDENT_ID, incidentId);
    long started = System.nanoTime();
    StepDelegate inner = new StepDelegate(delegate.stepStarted(node, incidentId));
    return (outcome, failure) -> {
      try {
        inner.ended(outcome, failure);
        Timer.builder("sentinel.workflow.step.duration")
            .description("Time one node of the incident workflow took, by node and outcome")
            .tag("node", node)
            .tag("outcome", outcome)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(meters)
            .record(Duration.ofNanos(System.nanoTime() - started));
        span.setAttribute(OUTCOME, outcome);
        if (failure != null) {
          span.recordException(failure);
          span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
      } finally {
        span.end();
        scope.close();
        restore(TRACE_ID, previousTrace);
        restore(INCIDENT_ID, previousIncident);
      }
    };
  }

  /** The wrapped hook's own step, which must not keep ours from ending. */
  private record StepDelegate(Step step) {
    void ended(String outcome, Throwable failure) {
      try {
        step.ended(outcome, failure);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(WorkflowTelemetry.class)
            .warn("a workflow step listener failed", e);
      }
    }
  }

  private static void restore(String key, String previous) {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }

  private Counter approvals(String decision) {
    return Counter.builder("sentinel.workflow.approvals")
        .description("Approval decisions: auto, requested (waits for a human), approved, rejected")
        .tag("decision", decision)
        .register(meters);
  }

  private Counter actions(String result) {
    return Counter.builder("sentinel.workflow.actions")
        .description("Remediation actions by the executor's result")
        .tag("result", result)
        .register(meters);
  }

  private Counter rollbacks(String verified) {
    return Counter.builder("sentinel.workflow.rollbacks")
        .description("Rollbacks of failed or harmful actions, by whether the prior state came back")
        .tag("verified", verified)
        .register(meters);
  }

  private Counter escalations() {
    return Counter.builder("sentinel.workflow.escalations")
        .description("Incidents handed to a human")
        .register(meters);
  }
}
