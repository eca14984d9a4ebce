package dev.sentinel.app.eval;

import dev.sentinel.analyse.RuleAnalyst;
import dev.sentinel.analyse.Signature;
import dev.sentinel.app.config.RemediationConfig;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.approve.ApprovalConfig;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.learn.InMemoryLessonBook;
import dev.sentinel.plan.RulePlanner;
import dev.sentinel.testing.ManualClock;
import dev.sentinel.verify.Verifier;
import dev.sentinel.workflow.Approvals;
import dev.sentinel.workflow.InMemoryActionJournal;
import dev.sentinel.workflow.InMemoryCaseQueue;
import dev.sentinel.workflow.IncidentWorkflow;
import dev.sentinel.workflow.WorkflowEvents;
import dev.sentinel.workflow.WorkflowParts;
import dev.sentinel.workflow.WorkflowRunner;
import java.util.List;
import java.util.function.Function;
import org.bsc.langgraph4j.checkpoint.MemorySaver;

/**
 * The loop of one trial, built from the same parts and the same configuration as {@code sentinel
 * run} builds them ({@code Remediation}, {@code Triage}, {@code DetectionPipeline}), over in-memory
 * stores and the simulated clock: one detection engine, the correlator, the incident workflow with
 * the rule analyst, the rule planner and the configured playbook, the approval policy, the safety
 * guard, the verifier and the lesson book. What it leaves out, and why, is listed in {@code
 * bench/RESULTS-loop.md}: no telemetry store (the analyst's "is this usual for the hour?" context
 * is off, as with {@code telemetry.store: none}), no semantic memory, no notifications.
 */
final class LoopUnderTest implements AutoCloseable {

  static final String WORKER = "eval";

  final SeriesRegistry registry = new SeriesRegistry();
  final AnomalyLog anomalies = new AnomalyLog(10_000);
  final LatestValues latest = new LatestValues();
  final DetectionEngine engine;
  final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  final InMemoryCaseQueue cases;
  final InMemoryActionJournal journal = new InMemoryActionJournal();
  final Correlator correlator;
  final WorkflowRunner runner;
  final Approvals approvals;

  /**
   * @param listener what the desk does with each decision: in {@code sentinel run} the narrator,
   *     which queues the workflow; built here once the case queue exists
   */
  LoopUnderTest(
      SentinelConfig config,
      ManualClock clock,
      Executor executor,
      boolean wallClockLimits,
      Function<InMemoryCaseQueue, IncidentListener> listener) {
    RemediationConfig remediation = config.remediation();
    engine = new DetectionEngine(config.detection(), registry);
    cases = new InMemoryCaseQueue(clock::millis, incidents);
    int[] ids = {0};
    correlator =
        new Correlator(
            config.incidents(), incidents, () -> "inc-" + ++ids[0], listener.apply(cases));
    InMemoryLessonBook lessons = new InMemoryLessonBook();
    WorkflowParts parts =
        new WorkflowParts(
            remediation.workflow(),
            incidents,
            audit,
            anomalies,
            new RuleAnalyst(
                Signature.defaults(),
                HistoricalContext.unavailable(
                    "the loop evaluation runs without a telemetry store")),
            new RulePlanner(
                remediation.playbook(),
                lessons,
                remediation.platform(),
                remediation.scope(),
                remediation.resource()),
            new ApprovalPolicy(
                wallClockLimits ? remediation.approval() : unlimited(remediation.approval())),
            new ActionGuard(new ExecutorRegistry(List.of(executor)), remediation.safety()),
            journal,
            new Verifier(remediation.verify(), anomalies, latest, registry, clock),
            lessons,
            clock,
            WorkflowEvents.NONE);
    MemorySaver saver = new MemorySaver();
    IncidentWorkflow workflow = new IncidentWorkflow(parts, saver, remediation.platform());
    runner = new WorkflowRunner(workflow, cases, saver, remediation.workflow(), WORKER);
    approvals = new Approvals(runner, cases, workflow);
  }

  /**
   * The approval policy's rate limits count wall time (resilience4j), and a trial's simulated
   * minutes pass in a wall second: they would limit a whole simulated day as if it were one minute.
   * Off unless asked for, so that auto-approval is judged by risk and the breaker; the breaker too
   * counts its open time on the wall clock, which the report shows.
   */
  static ApprovalConfig unlimited(ApprovalConfig config) {
    return new ApprovalConfig(
        config.autoApproveUpTo(),
        config.maxAutoDowntimeSeconds(),
        config.failureRateThreshold(),
        config.minimumCalls(),
        config.openSeconds(),
        Integer.MAX_VALUE,
        Integer.MAX_VALUE);
  }

  /** Works every case that is due now, as the runner's workers would. */
  void work() {
    runner.drain(WORKER);
  }

  @Override
  public void close() {
    runner.close();
  }
}
