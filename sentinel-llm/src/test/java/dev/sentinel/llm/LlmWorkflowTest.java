package dev.sentinel.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.approve.ApprovalConfig;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.execute.ActionLimits;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.execute.PriorState;
import dev.sentinel.execute.SafetyConfig;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.learn.InMemoryLessonBook;
import dev.sentinel.llm.ScriptedServer.Protocol;
import dev.sentinel.llm.ScriptedServer.Reply;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Playbook;
import dev.sentinel.plan.RulePlanner;
import dev.sentinel.plan.Target;
import dev.sentinel.testing.ManualClock;
import dev.sentinel.verify.Verifier;
import dev.sentinel.verify.VerifyConfig;
import dev.sentinel.workflow.InMemoryActionJournal;
import dev.sentinel.workflow.InMemoryCaseQueue;
import dev.sentinel.workflow.IncidentWorkflow;
import dev.sentinel.workflow.WorkflowConfig;
import dev.sentinel.workflow.WorkflowEvents;
import dev.sentinel.workflow.WorkflowParts;
import dev.sentinel.workflow.WorkflowRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.junit.jupiter.api.Test;

/** An LLM's plan on the real incident graph: the approval policy judges it like any other. */
class LlmWorkflowTest {

  private static final long T0 = 1_764_000_000_000L;
  private static final Map<String, String> API = Map.of("service", "api");

  /** Records what it was asked to do; the test expects nothing. */
  private static final class RecordingExecutor implements Executor {
    final List<String> performed = new ArrayList<>();

    @Override
    public String platform() {
      return "fake";
    }

    @Override
    public Set<String> operations() {
      return Set.of("restart", "scale");
    }

    @Override
    public PriorState capture(Action action) {
      return new PriorState(action.target(), Map.of("replicas", "2"));
    }

    @Override
    public synchronized ActionResult apply(Action action, String idempotencyKey) {
      performed.add(action.describe());
      return new ActionResult.Applied(action.describe(), Map.of());
    }

    @Override
    public ActionResult restore(PriorState prior, String idempotencyKey) {
      return new ActionResult.Applied("restored", prior.state());
    }

    @Override
    public Map<String, String> describe(Target target) {
      return Map.of("replicas", "2", "version", "1.4.2");
    }
  }

  @Test
  void a_step_the_model_calls_harmless_still_waits_for_a_human() throws Exception {
    String plan =
        "{\"summary\": \"restart api\", \"steps\": [{\"platform\": \"fake\", \"resource\":"
            + " \"api\", \"operation\": \"restart\", \"downtimeSeconds\": 0, \"blastRadius\":"
            + " \"INSTANCE\", \"rationale\": \"frees the leaked memory\"}]}";
    try (ScriptedServer groq =
        new ScriptedServer(Protocol.OPENAI, Reply.text(Fixtures.LEAK_ANSWER), Reply.text(plan))) {
      ManualClock clock = new ManualClock(T0);
      InMemoryIncidentStore incidents = new InMemoryIncidentStore();
      InMemoryAuditTrail audit = new InMemoryAuditTrail();
      InMemoryCaseQueue queue = new InMemoryCaseQueue(clock::millis, incidents);
      AnomalyLog anomalies = new AnomalyLog(1_000);
      SeriesRegistry registry = new SeriesRegistry();
      LatestValues latest = new LatestValues();
      InMemoryLessonBook lessons = new InMemoryLessonBook();
      RecordingExecutor executor = new RecordingExecutor();
      // The playbook knows a restart of api takes ten minutes: high risk, a human decides.
      Playbook playbook =
          new Playbook(
              Map.of(
                  "memory-leak",
                  List.of(new Playbook.Play("restart", Map.of(), 600, BlastRadius.SERVICE))),
              List.of());
      ProviderChain chain =
          Fixtures.chain(
              Fixtures.spending(new SimpleMeterRegistry(), 1, 10),
              6,
              Fixtures.provider("groq", ProviderKind.OPENAI, groq, Duration.ofSeconds(10), 0));
      WorkflowParts parts =
          new WorkflowParts(
              WorkflowConfig.defaults(),
              incidents,
              audit,
              anomalies,
              new LlmAnalyst(chain, Fixtures.rules()),
              new LlmPlanner(
                  chain,
                  new RulePlanner(playbook, lessons, "fake", ""),
                  ActionPolicy.allowList("fake", executor.operations(), List.of("fake:*")),
                  Estimates.from(playbook)),
              new ApprovalPolicy(ApprovalConfig.defaults()),
              new ActionGuard(
                  new ExecutorRegistry(List.of(executor)),
                  new SafetyConfig(false, Map.of("fake", List.of("**")), ActionLimits.defaults())),
              new InMemoryActionJournal(),
              new Verifier(new VerifyConfig(30, 2, 5, 1.5), anomalies, latest, registry, clock),
              lessons,
              clock,
              WorkflowEvents.NONE);
      MemorySaver saver = new MemorySaver();
      IncidentWorkflow workflow = new IncidentWorkflow(parts, saver, "fake");
      WorkflowRunner runner = new WorkflowRunner(workflow, queue, saver, parts.config(), "test");

      SeriesKey memory = SeriesKey.of("memory_used_bytes", API);
      int series = registry.intern(memory);
      String id = null;
      for (int i = 0; i < 3; i++) {
        Anomaly anomaly =
            new Anomaly(
                memory,
                T0 - 3000 + i * 1000,
                1.2e9 + i * 1e8,
                1e9,
                1.1e9,
                5 + i,
                0.9,
                Direction.UP,
                Set.of(DetectorKind.LEVEL_SHIFT));
        anomalies.accept(anomaly);
        latest.record(series, anomaly.timestampMillis(), anomaly.value());
        id =
            incidents
                .attach("{service=api}", API, anomaly, 60_000, 100, () -> "inc-llm")
                .incident()
                .id();
      }
      queue.enqueue(id, 0);

      runner.drain("w");

      assertThat(groq.requests()).hasSize(2);
      // Both calls (analyse, plan) carry the run's request id, as its log lines do.
      assertThat(groq.requestIds()).containsOnly("incident-inc-llm-run-1");
      assertThat(incidents.find(id).orElseThrow().status())
          .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
      assertThat(executor.performed).isEmpty();
      assertThat(
              audit.find(AuditQuery.forIncident(id)).stream()
                  .map(AuditEntry::record)
                  .map(record -> record.action())
                  .toList())
          .containsExactly(
              AuditAction.ANALYSIS_COMPLETED,
              AuditAction.PLAN_PROPOSED,
              AuditAction.APPROVAL_REQUESTED);
      assertThat(incidents.timeline(id, 100).toString())
          .contains("planned by llm:groq/scripted-model")
          .contains("raised to what Sentinel knows of restart");
    }
  }
}
