package dev.sentinel.app;

import dev.sentinel.analyse.RuleAnalyst;
import dev.sentinel.analyse.Signature;
import dev.sentinel.app.config.RemediationConfig;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.http.ApiServer;
import dev.sentinel.app.notify.WorkflowAnnouncer;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.Tracing;
import dev.sentinel.app.observe.WorkflowTelemetry;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.llm.ActionPolicy;
import dev.sentinel.plan.RulePlanner;
import dev.sentinel.postgres.JdbcCheckpointSaver;
import dev.sentinel.postgres.PostgresActionJournal;
import dev.sentinel.postgres.PostgresLessonBook;
import dev.sentinel.verify.Verifier;
import dev.sentinel.workflow.Approvals;
import dev.sentinel.workflow.CaseQueue;
import dev.sentinel.workflow.CaseState;
import dev.sentinel.workflow.IncidentControls;
import dev.sentinel.workflow.IncidentWorkflow;
import dev.sentinel.workflow.WorkflowParts;
import dev.sentinel.workflow.WorkflowRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Remediation as an assembly: the executors (the platforms' and, with {@code --demo}, the simulated
 * fleet's), the incident workflow and the runner whose workers take cases, the approvals, and the
 * demo that feeds the fleet's telemetry and stands in for the on-call engineer. With {@code
 * remediation.enabled: false} no workflow runs and approvals are off; the demo still runs.
 */
final class Remediation implements AutoCloseable {

  /** What the assembly gives the HTTP edge. */
  private final ApiServer.Remediation api;

  private final StopOrder stops;
  private final Optional<ApiServer.Simulation> simulation;

  private Remediation(StopOrder stops, Wiring wiring) {
    this.stops = stops;
    SentinelConfig config = wiring.config();
    Map<String, Executor> executors = new LinkedHashMap<>();
    Optional<DemoFleet> demo =
        config.demo().enabled()
            ? Optional.of(DemoFleet.open(config.demo(), wiring.dataDir(), wiring.clock()))
            : Optional.empty();
    demo.map(DemoFleet::executor)
        .ifPresent(executor -> executors.put(executor.platform(), executor));
    PlatformExecutors.build(config.remediation().executors(), stops)
        .forEach(executor -> executors.put(executor.platform(), executor));

    Optional<Approvals> approvals = Optional.empty();
    Optional<IncidentControls> controls = Optional.empty();
    Function<String, Optional<CaseState>> workflowState = id -> Optional.empty();
    if (config.remediation().enabled()) {
      CaseQueue cases = wiring.state().cases();
      JdbcCheckpointSaver saver = new JdbcCheckpointSaver(wiring.state().dataSource());
      IncidentWorkflow workflow = workflow(wiring, executors, saver);
      WorkflowRunner runner =
          new WorkflowRunner(
              workflow, cases, saver, config.remediation().workflow(), wiring.instance());
      approvals = Optional.of(new Approvals(runner, cases, workflow));
      controls = Optional.of(new IncidentControls(workflow, cases));
      workflowState =
          id -> {
            int run = cases.currentRun(id);
            return run == 0 ? Optional.empty() : runner.state(id, run);
          };
      runner.start();
      stops.add(runner);
    }
    Optional<Approvals> decisions = approvals;
    simulation =
        demo.map(
            fleet ->
                fleet.start(wiring.ingestion(), wiring.triage(), wiring.state(), decisions, stops));
    api = new ApiServer.Remediation(workflowState, approvals, controls, simulation);
  }

  /** What the remediation assembly is built from: the assemblies started before it. */
  record Wiring(
      SentinelConfig config,
      Path dataDir,
      String instance,
      StateStores state,
      Ingestion ingestion,
      Triage triage,
      SemanticMemory memory,
      Tracing tracing,
      MeterRegistry meters,
      Clock clock) {}

  /**
   * Opens the executors, starts the workflow's workers (when remediation is enabled) and the demo
   * (with {@code --demo}).
   */
  static Remediation start(Wiring wiring) {
    StopOrder stops = new StopOrder();
    try {
      return new Remediation(stops, wiring);
    } catch (RuntimeException e) {
      stops.close();
      throw e;
    }
  }

  /** The incident workflow over the executors, with the analyst and planner configured. */
  private static IncidentWorkflow workflow(
      Wiring wiring, Map<String, Executor> executors, JdbcCheckpointSaver saver) {
    RemediationConfig remediation = wiring.config().remediation();
    StateStores state = wiring.state();
    Ingestion ingestion = wiring.ingestion();
    MeterRegistry meters = wiring.meters();
    Clock clock = wiring.clock();
    LessonBook lessons =
        wiring.memory().lessons(new PostgresLessonBook(state.dataSource()), state.incidents());
    Set<String> operations =
        Optional.ofNullable(executors.get(remediation.platform()))
            .map(Executor::operations)
            .orElse(Set.of());
    LlmReasoning reasoning =
        LlmReasoning.wire(
            wiring.config().llm(),
            System.getenv(),
            wiring.memory().analyst(new RuleAnalyst(Signature.defaults(), ingestion.context())),
            new RulePlanner(
                remediation.playbook(),
                lessons,
                remediation.platform(),
                remediation.scope(),
                remediation.resource()),
            ActionPolicy.allowList(
                remediation.platform(), operations, wiring.config().llm().allowedTargets()),
            remediation.playbook(),
            ingestion.store(),
            ingestion.context(),
            wiring.memory().knowledge(),
            meters,
            clock);
    WorkflowParts parts =
        new WorkflowParts(
            remediation.workflow(),
            state.incidents(),
            state.audit(),
            ingestion.anomalies(),
            reasoning.analyst(),
            reasoning.planner(),
            Telemetry.breakerGauge(meters, new ApprovalPolicy(remediation.approval())),
            new ActionGuard(new ExecutorRegistry(executors.values()), remediation.safety()),
            new PostgresActionJournal(state.dataSource()),
            // In a fleet the instance running the workflow may not receive the incident's
            // series: it reads their latest values from the shared store.
            new Verifier(
                remediation.verify(),
                ingestion.anomalies(),
                ingestion.latest(),
                ingestion.registry(),
                ingestion.store(),
                clock),
            lessons,
            clock,
            new WorkflowTelemetry(
                new WorkflowAnnouncer(
                    new WorkflowNarrator(),
                    wiring.triage().notifications(),
                    wiring.triage().feed(),
                    clock),
                wiring.tracing(),
                meters));
    return new IncidentWorkflow(parts, saver, remediation.platform());
  }

  ApiServer.Remediation api() {
    return api;
  }

  /** The demo's health; empty without {@code --demo}. */
  Optional<HealthCheck> demoHealth() {
    return simulation.map(running -> running.demo()::health);
  }

  /** Stops the demo, then the workers (each finishes its step), then the executors' clients. */
  @Override
  public void close() {
    stops.stop();
  }
}
