package dev.sentinel.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sentinel.analyse.RuleAnalyst;
import dev.sentinel.analyse.Signature;
import dev.sentinel.approve.ApprovalConfig;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.audit.Verification;
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
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.plan.Planner;
import dev.sentinel.plan.Playbook;
import dev.sentinel.plan.RulePlanner;
import dev.sentinel.plan.Target;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.FleetStateFile;
import dev.sentinel.simulator.ServiceState;
import dev.sentinel.simulator.SimulatorExecutor;
import dev.sentinel.testing.ManualClock;
import dev.sentinel.verify.Recovery;
import dev.sentinel.verify.Verifier;
import dev.sentinel.verify.VerifyConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident lifecycle on the real graph, checkpointed, against a fake platform. Every set of
 * stores (in memory, PostgreSQL) runs these same scenarios by extending this class.
 */
public abstract class WorkflowScenarios {

  protected abstract IncidentStore incidents();

  protected abstract AuditTrail audit();

  protected abstract CaseQueue queue(Clock clock, IncidentStore incidents);

  protected abstract ActionJournal journal();

  protected abstract LessonBook lessons();

  protected abstract BaseCheckpointSaver saver();

  private static final long T0 = 1_764_000_000_000L;
  private static final Map<String, String> API = Map.of("service", "api");

  private final ManualClock clock = new ManualClock(T0);
  private final AnomalyLog anomalies = new AnomalyLog(10_000);
  private IncidentStore incidents;
  private AuditTrail audit;
  private CaseQueue queue;
  private ActionJournal journal;
  private LessonBook lessons;
  private final FakeExecutor platform = new FakeExecutor();
  private BaseCheckpointSaver saver;

  /** Anomalies the "fleet" produces while Sentinel watches after an action (none: recovered). */
  private volatile double scoreAfterAction;

  /**
   * The leaking series' value while Sentinel watches after an action: {@value #RECOVERED_MEMORY}
   * reads as recovered, {@value #UNCHANGED_MEMORY} as unchanged, {@value #WORSE_MEMORY} as worse.
   */
  private volatile DoubleSupplier memoryAfterAction =
      () -> scoreAfterAction > 0 ? WORSE_MEMORY : RECOVERED_MEMORY;

  private static final double RECOVERED_MEMORY = 1.05e9;
  private static final double UNCHANGED_MEMORY = 1.4e9;
  private static final double WORSE_MEMORY = 2e9;

  private final SeriesRegistry registry = new SeriesRegistry();
  private final LatestValues latest = new LatestValues();
  private final int memorySeries = registry.intern(SeriesKey.of("memory_used_bytes", API));

  private WorkflowRunner runner;
  private WorkflowParts parts;
  private Approvals approvals;
  private IncidentControls controls;

  /** What the workflow tells the rest of Sentinel; a test may listen in. */
  private WorkflowEvents events = WorkflowEvents.NONE;

  /** The fake platform acts on anything unless a test narrows it. */
  private SafetyConfig safety =
      new SafetyConfig(false, Map.of("fake", List.of("**")), ActionLimits.defaults());

  private void build(Playbook playbook, ApprovalConfig approval) {
    openStores();
    wire(new RulePlanner(playbook, lessons, "fake", ""), approval, List.of(platform));
  }

  private void openStores() {
    incidents = incidents();
    audit = audit();
    queue = queue(clock, incidents);
    journal = journal();
    lessons = lessons();
    saver = saver();
  }

  /** The graph, its runner and parts over the stores: what an instance of Sentinel builds. */
  private void wire(Planner planner, ApprovalConfig approval, List<Executor> executors) {
    Verifier verifier =
        new Verifier(new VerifyConfig(30, 2, 5, 1.5), anomalies, latest, registry, clock);
    WorkflowParts parts =
        new WorkflowParts(
            WorkflowConfig.defaults(),
            incidents,
            audit,
            anomalies,
            new RuleAnalyst(Signature.defaults()),
            planner,
            new ApprovalPolicy(approval),
            new ActionGuard(new ExecutorRegistry(executors), safety),
            journal,
            verifier,
            lessons,
            clock,
            events);
    this.parts = parts;
    IncidentWorkflow workflow = new IncidentWorkflow(parts, saver, "fake");
    runner = new WorkflowRunner(workflow, queue, saver, parts.config(), "test");
    approvals = new Approvals(runner, queue, workflow);
    controls = new IncidentControls(workflow, queue);
  }

  /** The "fleet" after an action, read at the clock's time: the leaking series' value. */
  private void fleetMoves() {
    double memory = memoryAfterAction.getAsDouble();
    if (memory > 1.5e9) {
      anomalies.accept(
          anomaly(
              "memory_used_bytes",
              clock.millis(),
              memory,
              scoreAfterAction > 0 ? scoreAfterAction : 20));
    }
    latest.record(memorySeries, clock.millis(), memory);
  }

  /**
   * Works the runnable cases as a runner's workers would over time: drains them, and while a case
   * is parked between two readings of a verification, moves the clock to its next reading (the
   * fleet moving meanwhile) and drains again.
   *
   * @return how many claims were worked
   */
  private int work(WorkflowRunner runner, String worker) {
    int worked = runner.drain(worker);
    for (int readings = 0; readings < 1000; readings++) {
      OptionalLong due = nextReading(runner);
      if (due.isEmpty()) {
        return worked;
      }
      clock.advance(Math.max(0, due.getAsLong() - clock.millis()));
      fleetMoves();
      worked += runner.drain(worker);
    }
    throw new AssertionError("a verification never reached its verdict");
  }

  /** When the earliest verification under way takes its next reading; empty when none is. */
  private OptionalLong nextReading(WorkflowRunner runner) {
    return incidents.list(IncidentFilter.all(), 100).stream()
        .filter(incident -> queue.currentRun(incident.id()) > 0)
        .flatMap(incident -> runner.state(incident.id(), queue.currentRun(incident.id())).stream())
        .filter(state -> state.verification() != null)
        .mapToLong(state -> state.verification().nextAtMillis())
        .min();
  }

  private static Anomaly anomaly(String metric, long at, double value, double score) {
    return new Anomaly(
        SeriesKey.of(metric, API),
        at,
        value,
        1e9,
        1.1e9,
        score,
        0.9,
        Direction.UP,
        Set.of(DetectorKind.LEVEL_SHIFT));
  }

  /** A memory leak in api: three rising anomalies, one incident, its case queued. */
  private String leak() {
    String id = null;
    for (int i = 0; i < 3; i++) {
      Anomaly anomaly = anomaly("memory_used_bytes", T0 - 3000 + i * 1000, 1.2e9 + i * 1e8, 5 + i);
      anomalies.accept(anomaly);
      latest.record(memorySeries, anomaly.timestampMillis(), anomaly.value());
      id =
          incidents
              .attach("{service=api}", API, anomaly, 60_000, 100, () -> "inc-1")
              .incident()
              .id();
    }
    queue.enqueue(id, 0);
    return id;
  }

  private static Playbook playbook(String operation, long downtime) {
    Map<String, String> parameters = operation.equals("scale") ? Map.of("delta", "-1") : Map.of();
    return new Playbook(
        Map.of(
            "memory-leak",
            List.of(new Playbook.Play(operation, parameters, downtime, BlastRadius.SERVICE))),
        List.of());
  }

  private List<AuditAction> audited(String incident) {
    return audit.find(AuditQuery.forIncident(incident)).stream()
        .map(AuditEntry::record)
        .map(record -> record.action())
        .toList();
  }

  @Test
  void a_low_risk_fault_is_auto_remediated_and_resolved_after_verified_recovery() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).containsExactly("restart api");
    // No request behind it: the run's own id, named after the incident.
    assertThat(platform.requestIds).containsExactly("incident-" + id + "-run-1");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incidents.find(id).orElseThrow().resolution())
        .contains("restart fake:api")
        .contains("memory-leak");
    assertThat(audited(id))
        .containsExactly(
            AuditAction.ANALYSIS_COMPLETED,
            AuditAction.PLAN_PROPOSED,
            AuditAction.APPROVAL_GRANTED,
            AuditAction.ACTION_EXECUTED,
            AuditAction.INCIDENT_RESOLVED);
    assertThat(runner.drain("w")).as("the case is done").isZero();
    assertThat(lessons.netSuccesses("memory-leak", "restart")).isEqualTo(1);
    assertThat(audit.verify()).isInstanceOf(Verification.Intact.class);
    assertThat(incidents.timeline(id, 100)).extracting(e -> e.kind()).contains("learned");
  }

  /** The case's workflow state, as its checkpoint has it. */
  private CaseState caseState(String id) {
    return runner.state(id, queue.currentRun(id)).orElseThrow();
  }

  /** Moves the clock to the case's next verification reading, the fleet moving meanwhile. */
  private void untilNextReading(String id) {
    clock.advance(caseState(id).verification().nextAtMillis() - clock.millis());
    fleetMoves();
  }

  @Test
  void a_case_being_verified_waits_in_the_queue_between_readings_not_on_a_worker() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();

    assertThat(runner.drain("w")).as("analysed, acted, first reading taken; then let go").isOne();
    CaseState verifying = caseState(id);
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(verifying.verification()).isNotNull();
    assertThat(verifying.verification().actionAtMillis()).isEqualTo(verifying.actionAtMillis());
    assertThat(verifying.verification().nextAtMillis())
        .isGreaterThan(clock.millis())
        .isLessThanOrEqualTo(clock.millis() + 1_000);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.REMEDIATING);
    // Nobody holds the case, and nobody can take it before its next reading is due.
    assertThat(queue.claim("another-worker")).isEmpty();
    assertThat(runner.drain("w")).isZero();

    int readings = 0;
    while (caseState(id).verification() != null) {
      untilNextReading(id);
      assertThat(runner.drain("w")).as("one claim per reading").isOne();
      readings++;
    }

    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(caseState(id).report().recovery()).isEqualTo(Recovery.RECOVERED);
    // Back in range from the end of the 2 s grace, and quiet for 5 s: read at 1 s steps.
    assertThat(clock.millis() - verifying.actionAtMillis()).isEqualTo(7_000);
    assertThat(readings).isEqualTo(7);
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("verification"))
        .singleElement()
        .satisfies(event -> assertThat(event.summary()).startsWith("recovered"));
    assertThat(audited(id))
        .containsExactly(
            AuditAction.ANALYSIS_COMPLETED,
            AuditAction.PLAN_PROPOSED,
            AuditAction.APPROVAL_GRANTED,
            AuditAction.ACTION_EXECUTED,
            AuditAction.INCIDENT_RESOLVED);
  }

  @Test
  void a_verification_under_way_is_finished_by_another_instance_from_where_it_stood() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();
    runner.drain("w");
    long actionAt = caseState(id).actionAtMillis();
    // Three more readings here: the symptoms are back in range from the end of the grace.
    for (int i = 0; i < 3; i++) {
      untilNextReading(id);
      runner.drain("w");
    }
    assertThat(caseState(id).verification().normalSinceMillis()).isEqualTo(actionAt + 2_000);
    runner.close(); // this instance stops

    IncidentWorkflow elsewhere = new IncidentWorkflow(parts, saver, "fake");
    WorkflowRunner other = new WorkflowRunner(elsewhere, queue, saver, parts.config(), "other");
    int claims = work(other, "w2");

    assertThat(claims).isEqualTo(4);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    // The quiet time counted from the first instance's readings, not from a fresh window.
    assertThat(clock.millis() - actionAt).isEqualTo(7_000);
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("verification"))
        .hasSize(1);
  }

  @Test
  void a_verification_resumed_after_an_outage_past_its_window_ends_unchanged() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    memoryAfterAction = () -> UNCHANGED_MEMORY;
    String id = leak();
    runner.drain("w");
    long actionAt = caseState(id).actionAtMillis();
    runner.close();

    clock.advance(10 * 60_000); // every instance was down for ten minutes
    fleetMoves();
    IncidentWorkflow elsewhere = new IncidentWorkflow(parts, saver, "fake");
    WorkflowRunner other = new WorkflowRunner(elsewhere, queue, saver, parts.config(), "other");
    assertThat(other.drain("w2")).isOne();

    assertThat(caseState(id).attempts()).first().isEqualTo("restart fake:api -> unchanged");
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("verification"))
        .first()
        .satisfies(event -> assertThat(event.summary()).startsWith("unchanged: 30 s after"));
    assertThat(clock.millis() - actionAt).isGreaterThan(30_000);
  }

  @Test
  void a_problem_gone_before_analysis_is_resolved_without_action() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();
    clock.advance(60_000);
    latest.record(memorySeries, clock.millis(), 1.05e9);
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incidents.find(id).orElseThrow().resolution()).contains("recovered by itself");
    assertThat(audited(id))
        .contains(AuditAction.INCIDENT_RESOLVED)
        .doesNotContain(AuditAction.ACTION_EXECUTED);
  }

  @Test
  void a_high_risk_step_waits_for_approval_and_runs_once_approved() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(platform.performed).isEmpty();
    assertThat(runner.drain("w")).as("nothing runnable while waiting").isZero();

    // The approval's X-Request-ID follows the run it resumed, to the executor's calls.
    try (dev.sentinel.trace.RequestIds.Scope request =
        dev.sentinel.trace.RequestIds.open("req-approve-1")) {
      approvals.approve(id, "alice", "go ahead");
    }
    work(runner, "w");

    assertThat(platform.performed).containsExactly("restart api");
    assertThat(platform.requestIds).containsExactly("req-approve-1");
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("approval"))
        .extracting(event -> event.details().get("requestId"))
        .contains("req-approve-1");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(audited(id)).contains(AuditAction.APPROVAL_REQUESTED, AuditAction.APPROVAL_GRANTED);
    assertThat(
            audit.find(AuditQuery.forIncident(id)).stream()
                .filter(e -> e.record().action() == AuditAction.APPROVAL_GRANTED)
                .map(e -> e.record().actor()))
        .containsExactly("alice");
    assertThatThrownBy(() -> approvals.approve(id, "bob", "again"))
        .isInstanceOf(Approvals.NotWaitingException.class);
  }

  @Test
  void a_human_who_answers_the_request_at_once_finds_the_case_waiting_for_it() {
    List<IncidentStatus> shown = new ArrayList<>();
    events =
        new WorkflowEvents() {
          @Override
          public void recorded(dev.sentinel.incident.TimelineEvent event) {}

          @Override
          public void approvalNeeded(
              dev.sentinel.incident.Incident incident, dev.sentinel.plan.Plan plan, String reason) {
            // A Slack button clicked the moment it arrives: no retry, no wait.
            shown.add(incidents.find(incident.id()).orElseThrow().status());
            approvals.approve(incident.id(), "alice", "at once");
          }
        };
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    assertThat(shown).containsExactly(IncidentStatus.AWAITING_APPROVAL);
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  @Test
  void an_approval_given_on_another_instance_resumes_the_workflow_there() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);

    // A second instance: its own graph and runner over the same stores, queue and checkpoints.
    IncidentWorkflow elsewhere = new IncidentWorkflow(parts, saver, "fake");
    WorkflowRunner otherRunner =
        new WorkflowRunner(elsewhere, queue, saver, parts.config(), "other");
    new Approvals(otherRunner, queue, elsewhere).approve(id, "alice", "from the other instance");
    work(otherRunner, "w2");

    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  /** The incident is resolved by someone else, then the same problem comes back: reopened. */
  private void resolveThenReopen(String id) {
    incidents.transition(id, IncidentStatus.RESOLVED, clock.millis(), "closed by a human");
    clock.advance(1_000);
    Anomaly again = anomaly("memory_used_bytes", clock.millis(), 1.5e9, 7);
    anomalies.accept(again);
    assertThat(incidents.attach("{service=api}", API, again, 60_000, 100, () -> "inc-2").outcome())
        .isEqualTo(dev.sentinel.incident.Attachment.Outcome.REOPENED);
    queue.enqueue(id, 0); // as the incident desk does for a reopened incident
  }

  @Test
  void a_person_who_takes_over_stops_the_plan_and_handing_back_starts_afresh() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);

    controls.takeOver(id, "alice", "I know this one");
    Incident owned = incidents.find(id).orElseThrow();
    assertThat(owned.status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(owned.handling().owner()).isEqualTo("alice");
    assertThatThrownBy(() -> approvals.approve(id, "bob", "go"))
        .isInstanceOf(Approvals.NotWaitingException.class)
        .hasMessageContaining("taken over by alice");
    assertThatThrownBy(() -> controls.takeOver(id, "bob", ""))
        .isInstanceOf(IncidentControls.Refused.class);
    assertThat(IncidentControls.available(owned)).contains(IncidentControls.Control.HAND_BACK);
    assertThat(work(runner, "w")).isZero();
    assertThat(platform.performed).isEmpty();

    controls.handBack(id, "alice", "over to you");
    assertThat(incidents.find(id).orElseThrow().handling().takenOver()).isFalse();
    work(runner, "w");
    assertThat(queue.currentRun(id)).as("a fresh run after the hand-back").isEqualTo(2);
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    approvals.approve(id, "alice", "go ahead");
    work(runner, "w");
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(audited(id))
        .contains(AuditAction.INCIDENT_TAKEN_OVER, AuditAction.INCIDENT_HANDED_BACK);
  }

  @Test
  void a_take_over_during_a_run_stops_it_before_its_next_step() {
    events =
        new WorkflowEvents() {
          @Override
          public void recorded(dev.sentinel.incident.TimelineEvent event) {
            // The person steps in the moment the plan is made, before it is approved.
            if (event.kind().equals("plan")) {
              controls.takeOver(event.incidentId(), "alice", "");
            }
          }
        };
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).as("the low-risk step was never taken").isEmpty();
    Incident incident = incidents.find(id).orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(incidents.timeline(id, 100))
        .extracting(event -> event.kind())
        .contains("plan", "taken_over")
        .doesNotContain("approval", "action", "escalated");
    assertThat(runner.drain("w")).isZero();
  }

  @Test
  void a_person_acknowledges_assigns_notes_sets_severity_and_resolves_and_each_is_audited() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    controls.acknowledge(id, "alice", "looking");
    assertThatThrownBy(() -> controls.acknowledge(id, "bob", ""))
        .isInstanceOf(IncidentControls.Refused.class)
        .hasMessageContaining("alice");
    controls.assign(id, "alice", "bob");
    controls.note(id, "bob", "the leak started with the 14:02 deploy");
    controls.severity(id, "bob", dev.sentinel.incident.Severity.LOW, "only a canary");
    // An anomaly joining later leaves a severity a person set.
    Anomaly more = anomaly("memory_used_bytes", clock.millis(), 1.9e9, 50);
    incidents.attach("{service=api}", API, more, 60_000, 100, () -> "inc-x");
    Incident handled = incidents.find(id).orElseThrow();
    assertThat(handled.severity()).isEqualTo(dev.sentinel.incident.Severity.LOW);
    assertThat(handled.handling().acknowledgedBy()).isEqualTo("alice");
    assertThat(handled.handling().assignee()).isEqualTo("bob");
    assertThat(handled.status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(IncidentControls.available(handled))
        .doesNotContain(IncidentControls.Control.ACKNOWLEDGE)
        .contains(IncidentControls.Control.RESOLVE, IncidentControls.Control.TAKE_OVER);

    controls.resolve(id, "bob", "rolled back the deploy by hand");
    Incident resolved = incidents.find(id).orElseThrow();
    assertThat(resolved.status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(resolved.resolution()).isEqualTo("resolved by bob: rolled back the deploy by hand");
    assertThatThrownBy(() -> approvals.approve(id, "alice", "go"))
        .isInstanceOf(Approvals.NotWaitingException.class);
    assertThatThrownBy(() -> controls.assign(id, "alice", "carol"))
        .isInstanceOf(IncidentControls.Refused.class);
    assertThat(IncidentControls.available(resolved)).containsExactly(IncidentControls.Control.NOTE);
    assertThat(platform.performed).isEmpty();
    assertThat(audited(id))
        .contains(
            AuditAction.INCIDENT_ACKNOWLEDGED,
            AuditAction.INCIDENT_ASSIGNED,
            AuditAction.INCIDENT_NOTED,
            AuditAction.INCIDENT_SEVERITY_CHANGED,
            AuditAction.INCIDENT_RESOLVED);
    assertThat(
            audit.find(AuditQuery.forIncident(id)).stream()
                .filter(e -> e.record().action() == AuditAction.INCIDENT_NOTED)
                .map(e -> e.record().actor()))
        .containsExactly("bob");
  }

  @Test
  void an_incident_resolved_while_waiting_and_reopened_is_worked_again_and_approve_works() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);

    resolveThenReopen(id);
    assertThat(runner.drain("w")).as("a fresh run for the new fault").isEqualTo(1);

    assertThat(queue.currentRun(id)).isEqualTo(2);
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    approvals.approve(id, "alice", "go ahead");
    work(runner, "w");
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  @Test
  void an_incident_resolved_and_reopened_while_its_run_is_worked_gets_a_fresh_run_after_it() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    // Another worker (another instance) has the case and is working it.
    CaseQueue.Claim elsewhere = queue.claim("other-instance").orElseThrow();

    resolveThenReopen(id); // must not wait for the other worker's run
    assertThat(runner.drain("w")).as("the case is someone else's until their run stops").isZero();
    elsewhere.park(); // that run reached its approval wait, for the fault before
    elsewhere.close();

    assertThat(runner.drain("w")).isEqualTo(1);
    assertThat(queue.currentRun(id)).isEqualTo(2);
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    approvals.approve(id, "alice", "go ahead");
    work(runner, "w");
    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  @Test
  void a_rejected_plan_touches_nothing_and_leaves_the_incident_to_a_human() {
    build(playbook("restart", 600), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");
    approvals.reject(id, "bob", "not during the sale");
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(audited(id)).contains(AuditAction.APPROVAL_REJECTED, AuditAction.ESCALATED);
    assertThat(journal.find(id + "/1/1/execute")).isEmpty();
  }

  @Test
  void an_action_that_makes_things_worse_is_rolled_back_and_escalated() {
    build(playbook("scale", 0), ApprovalConfig.defaults());
    platform.replicas.put("api", 3);
    String id = leak();
    scoreAfterAction = 20;
    work(runner, "w");

    assertThat(platform.performed).containsExactly("scale api", "restore api {replicas=3}");
    assertThat(platform.replicas).containsEntry("api", 3);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(audited(id)).contains(AuditAction.ACTION_ROLLED_BACK, AuditAction.ESCALATED);
    assertThat(incidents.timeline(id, 100))
        .anyMatch(e -> e.kind().equals("rollback") && e.summary().contains("verified"));
    assertThat(lessons.netSuccesses("memory-leak", "scale")).isEqualTo(-1);
  }

  @Test
  void a_lone_traffic_shift_is_resolved_without_action_and_without_paging_anyone() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    Anomaly traffic = anomaly("request_rate", T0 - 1000, 1.3e9, 1.0);
    anomalies.accept(traffic);
    String id =
        incidents.attach("{service=api}", API, traffic, 60_000, 100, () -> "inc-1").incident().id();
    queue.enqueue(id, 0);

    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incidents.find(id).orElseThrow().resolution())
        .isEqualTo("only traffic moved: no fault to fix");
    assertThat(audited(id)).doesNotContain(AuditAction.ESCALATED);
  }

  @Test
  void an_incident_that_began_after_a_problem_elsewhere_waits_for_that_one_first() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    Map<String, String> checkout = Map.of("service", "checkout");
    Anomaly upstream =
        new Anomaly(
            SeriesKey.of("latency_p99_ms", checkout),
            T0 - 10_000,
            900,
            0,
            100,
            9,
            0.9,
            Direction.UP,
            Set.of(DetectorKind.ZSCORE));
    anomalies.accept(upstream);
    String other =
        incidents
            .attach("{service=checkout}", checkout, upstream, 60_000, 100, () -> "inc-0")
            .incident()
            .id();
    String id = leak();

    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(incidents.timeline(id, 100))
        .anyMatch(event -> event.kind().equals("deferred") && event.summary().contains(other));

    incidents.transition(other, IncidentStatus.RESOLVED, clock.millis(), "fixed by a human");
    clock.advance(31_000);
    work(runner, "w");

    assertThat(platform.performed).containsExactly("restart api");
  }

  @Test
  void a_flapping_problem_is_worked_even_when_it_looks_gone_for_a_moment() {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();
    for (int i = 0; i < 2; i++) {
      incidents.record(
          new TimelineEvent(
              id, T0 + i, "reopened", "sentinel", "reopened: out of range again", Map.of()));
    }
    clock.advance(10_000);
    latest.record(memorySeries, clock.millis(), 1.05e9);

    work(runner, "w");

    assertThat(platform.performed).containsExactly("restart api");
  }

  /**
   * A restart of api that takes effect and then crashes the step before its outcome is recorded;
   * the workflow runs again ten seconds later. Returns the incident.
   */
  private String restartInterruptedByACrash(boolean platformRemembersKeys) {
    build(playbook("restart", 5), ApprovalConfig.defaults());
    platform.crashAfterApplyOnce = true;
    platform.remembersKeys = platformRemembersKeys;
    String id = leak();
    work(runner, "w");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.REMEDIATING);

    clock.advance(10_000);
    work(runner, "w");
    return id;
  }

  @Test
  void a_crash_right_after_the_action_does_not_repeat_it() {
    String id = restartInterruptedByACrash(true);

    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(audited(id).stream().filter(a -> a == AuditAction.ACTION_EXECUTED)).hasSize(1);
  }

  @Test
  void an_action_interrupted_on_a_platform_that_forgets_keys_goes_to_a_human_not_again() {
    String id = restartInterruptedByACrash(false);

    assertThat(platform.performed).containsExactly("restart api");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(incidents.timeline(id, 100))
        .anySatisfy(
            event ->
                assertThat(event.summary())
                    .contains("not repeated")
                    .contains("its outcome was never recorded"));
  }

  @Test
  void auto_approval_stops_when_the_breaker_is_open() {
    ApprovalPolicy policy =
        new ApprovalPolicy(new ApprovalConfig(dev.sentinel.plan.Risk.LOW, 60, 10, 2, 300, 5, 30));
    policy.recordOutcome(false);
    policy.recordOutcome(false);
    var decision =
        policy.decide(
            new dev.sentinel.plan.Plan(
                List.of(
                    dev.sentinel.plan.PlanStep.of(
                        new dev.sentinel.plan.Action(
                            new dev.sentinel.plan.Target("fake", "", "api"), "restart", Map.of()),
                        5,
                        BlastRadius.SERVICE,
                        "test")),
                "restart"));
    assertThat(decision).isInstanceOf(dev.sentinel.approve.ApprovalDecision.NeedsHuman.class);
    assertThat(decision.reason()).contains("circuit breaker is OPEN");
  }

  /** The details of the incident's one audit entry of the given kind. */
  private Map<String, String> auditDetails(String incident, AuditAction action) {
    List<AuditEntry> entries =
        audit.find(AuditQuery.forIncident(incident)).stream()
            .filter(entry -> entry.record().action() == action)
            .toList();
    assertThat(entries).as("audit entries %s", action).hasSize(1);
    return entries.getFirst().record().details();
  }

  @Test
  void a_target_outside_the_allow_list_is_refused_and_the_audit_trail_says_why() {
    safety =
        new SafetyConfig(
            false, Map.of("fake", List.of("checkout", "cart-*")), ActionLimits.defaults());
    build(playbook("restart", 5), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(auditDetails(id, AuditAction.ACTION_REFUSED))
        .containsEntry("result", "refused")
        .hasEntrySatisfying(
            "reason", reason -> assertThat(reason).contains("'api' is not on the fake allow list"));
    assertThat(audited(id))
        .doesNotContain(AuditAction.ACTION_EXECUTED)
        .contains(AuditAction.ESCALATED);
  }

  @Test
  void dry_run_records_what_would_have_been_done_and_changes_nothing() {
    safety = new SafetyConfig(true, Map.of("fake", List.of("**")), ActionLimits.defaults());
    build(playbook("scale", 0), ApprovalConfig.defaults());
    platform.replicas.put("api", 3);
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(platform.replicas).containsEntry("api", 3);
    assertThat(auditDetails(id, AuditAction.ACTION_DRY_RUN))
        .containsEntry("result", "dry-run")
        .hasEntrySatisfying(
            "reason",
            reason -> assertThat(reason).contains("would scale fake:api").contains("replicas=3"));
    assertThat(journal.find(id + "/1/1/execute").orElseThrow().prior().get("replicas"))
        .isEqualTo("3");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
  }

  @Test
  void a_scale_beyond_the_limits_is_refused_with_the_limit_named() {
    safety = new SafetyConfig(false, Map.of("fake", List.of("**")), new ActionLimits(8, 50, 2));
    build(playbook("scale", 0), ApprovalConfig.defaults());
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(auditDetails(id, AuditAction.ACTION_REFUSED))
        .hasEntrySatisfying(
            "reason",
            reason -> assertThat(reason).contains("from 2 to 1 replicas is below the limit of 2"));
  }

  @Test
  void an_open_circuit_breaker_stops_the_action_and_the_audit_trail_says_why() {
    build(
        playbook("restart", 5),
        new ApprovalConfig(dev.sentinel.plan.Risk.LOW, 60, 10, 2, 300, 5, 30));
    parts.policy().recordOutcome(false);
    parts.policy().recordOutcome(false);
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(incidents.find(id).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(auditDetails(id, AuditAction.APPROVAL_REQUESTED))
        .hasEntrySatisfying(
            "summary", summary -> assertThat(summary).contains("circuit breaker is OPEN"));
    assertThat(audited(id))
        .doesNotContain(AuditAction.APPROVAL_GRANTED, AuditAction.ACTION_EXECUTED);
  }

  @Test
  void an_exhausted_rate_limit_stops_the_action_and_the_audit_trail_says_why() {
    build(
        playbook("restart", 5),
        new ApprovalConfig(dev.sentinel.plan.Risk.LOW, 60, 10, 10, 300, 1, 30));
    // Another incident took this minute's only auto-approval.
    assertThat(
            parts
                .policy()
                .decide(
                    new dev.sentinel.plan.Plan(
                        List.of(
                            dev.sentinel.plan.PlanStep.of(
                                new dev.sentinel.plan.Action(
                                    new dev.sentinel.plan.Target("fake", "", "cart"),
                                    "restart",
                                    Map.of()),
                                5,
                                BlastRadius.SERVICE,
                                "earlier incident")),
                        "restart cart")))
        .isInstanceOf(dev.sentinel.approve.ApprovalDecision.AutoApproved.class);
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).isEmpty();
    assertThat(auditDetails(id, AuditAction.APPROVAL_REQUESTED))
        .hasEntrySatisfying(
            "summary",
            summary ->
                assertThat(summary).contains("per-minute auto-approval limit of 1 is used up"));
    assertThat(audited(id)).doesNotContain(AuditAction.ACTION_EXECUTED);
  }

  @Test
  void a_failed_action_is_rolled_back_from_its_stored_prior_state_and_never_resolved() {
    build(playbook("scale", 0), ApprovalConfig.defaults());
    platform.replicas.put("api", 3);
    platform.failAfterApply = true;
    String id = leak();
    work(runner, "w");

    assertThat(platform.performed).startsWith("scale api", "restore api {replicas=3}");
    assertThat(platform.replicas).containsEntry("api", 3);
    assertThat(journal.find(id + "/1/1/execute").orElseThrow().prior().get("replicas"))
        .isEqualTo("3");
    assertThat(auditDetails(id, AuditAction.ACTION_FAILED))
        .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("not ready in time"));
    assertThat(auditDetails(id, AuditAction.ACTION_ROLLED_BACK)).containsEntry("verified", "true");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
  }

  @Test
  void a_rollback_that_did_not_take_effect_is_unverified_and_escalated_not_resolved() {
    build(playbook("scale", 0), ApprovalConfig.defaults());
    platform.replicas.put("api", 3);
    platform.restoreIgnored = true;
    String id = leak();
    scoreAfterAction = 20;
    work(runner, "w");

    assertThat(platform.replicas).containsEntry("api", 2);
    assertThat(auditDetails(id, AuditAction.ACTION_ROLLED_BACK)).containsEntry("verified", "false");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(auditDetails(id, AuditAction.ESCALATED))
        .hasEntrySatisfying(
            "summary", summary -> assertThat(summary).contains("a rollback could not be verified"));
    assertThat(audited(id)).doesNotContain(AuditAction.INCIDENT_RESOLVED);
  }

  // ---- plans of several steps, run as sagas on the simulated fleet ----

  private static final long FLEET_SEED = 7;
  private static final Target SIMULATED_API = new Target(SimulatorExecutor.PLATFORM, "", "api");

  @TempDir Path simulatorState;
  private Fleet fleet;
  private SimulatorExecutor simulator;
  private boolean sagaDryRun;

  /**
   * The demo fleet (api runs v2.14.0 on 3 replicas) behind the simulator executor, whose state file
   * outlives a restart of Sentinel as it does in the app.
   */
  private void openFleet() {
    fleet = Fleet.demo(FLEET_SEED);
    simulator =
        SimulatorExecutor.open(
            fleet, new FleetStateFile(simulatorState.resolve("simulator.state")), clock);
  }

  /** Stores, fleet and graph, with a planner that proposes {@code steps} once, then nothing. */
  private void buildSaga(Executor executor, PlanStep... steps) {
    safety =
        new SafetyConfig(
            sagaDryRun,
            Map.of("fake", List.of("**"), SimulatorExecutor.PLATFORM, List.of("**")),
            ActionLimits.defaults());
    openStores();
    wire(planOnce(steps), ApprovalConfig.defaults(), List.of(platform, executor));
  }

  /** The plan on the first round; on a later one no step, so a human decides. */
  private static Planner planOnce(PlanStep... steps) {
    AtomicInteger rounds = new AtomicInteger();
    Plan plan = new Plan(List.of(steps), steps.length + "-step plan for api");
    return (file, analysis) ->
        rounds.getAndIncrement() == 0 ? plan : new Plan(List.of(), "nothing more to try");
  }

  private static PlanStep step(String operation, Map<String, String> parameters) {
    return PlanStep.of(
        new Action(SIMULATED_API, operation, parameters), 0, BlastRadius.SERVICE, operation);
  }

  private ServiceState api() {
    return fleet.state("api");
  }

  /** Every audit record of the incident of that kind, oldest first. */
  private List<Map<String, String>> auditedDetails(String incident, AuditAction action) {
    return audit.find(AuditQuery.forIncident(incident)).stream()
        .map(AuditEntry::record)
        .filter(record -> record.action() == action)
        .<Map<String, String>>map(record -> record.details())
        .toList();
  }

  @Test
  void a_two_step_plan_takes_the_second_step_when_the_first_changed_nothing_and_resolves() {
    openFleet();
    fleet.deploy("api", "v2.15.0", T0 - 60_000);
    buildSaga(simulator, step("scale", Map.of("replicas", "5")), step("rollback", Map.of()));
    // Only going back to the old version brings memory back into its range.
    memoryAfterAction =
        () -> api().version().equals("v2.14.0") ? RECOVERED_MEMORY : UNCHANGED_MEMORY;
    String id = leak();
    work(runner, "w");

    assertThat(api().replicas()).isEqualTo(5);
    assertThat(api().version()).isEqualTo("v2.14.0");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incidents.find(id).orElseThrow().resolution())
        .contains("scale simulator:api {replicas=5} -> unchanged")
        .contains("rollback simulator:api -> recovered");
    assertThat(auditedDetails(id, AuditAction.ACTION_EXECUTED))
        .extracting(details -> details.get("summary"))
        .satisfiesExactly(
            first -> assertThat(first).startsWith("step 1 of 2: scale simulator:api"),
            second -> assertThat(second).startsWith("step 2 of 2: rollback simulator:api"));
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("verification"))
        .extracting(event -> event.details().get("step") + ":" + event.details().get("recovery"))
        .containsExactly("1:UNCHANGED", "2:RECOVERED");
    assertThat(journal.find(id + "/1/1/execute")).isPresent();
    assertThat(journal.find(id + "/1/1/execute/2")).isPresent();
    assertThat(audited(id)).doesNotContain(AuditAction.ACTION_ROLLED_BACK);
  }

  @Test
  void when_step_two_of_three_makes_things_worse_steps_two_and_one_are_rolled_back_in_that_order() {
    openFleet();
    buildSaga(
        simulator,
        step("scale", Map.of("replicas", "5")),
        step("scale", Map.of("replicas", "1")),
        step("restart", Map.of()));
    // Too few replicas for the load: memory climbs further.
    memoryAfterAction = () -> api().replicas() < 3 ? WORSE_MEMORY : UNCHANGED_MEMORY;
    String id = leak();
    work(runner, "w");

    assertThat(api().replicas()).as("back as before the plan").isEqualTo(3);
    assertThat(auditedDetails(id, AuditAction.ACTION_EXECUTED))
        .extracting(details -> details.get("step"))
        .as("step 3 never runs")
        .containsExactly("1", "2");
    assertThat(auditedDetails(id, AuditAction.ACTION_ROLLED_BACK))
        .extracting(
            details ->
                details.get("step") + " " + details.get("verified") + " " + details.get("prior"))
        .containsExactly(
            "2 true {replicas=5, version=v2.14.0}", "1 true {replicas=3, version=v2.14.0}");
    assertThat(journal.find(id + "/1/1/execute/3")).isEmpty();
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("rollback"))
        .extracting(event -> event.summary())
        .satisfiesExactly(
            second -> assertThat(second).startsWith("rolled back step 2 of 3: scale"),
            first -> assertThat(first).startsWith("rolled back step 1 of 3: scale"));
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(auditDetails(id, AuditAction.ESCALATED))
        .hasEntrySatisfying(
            "summary",
            summary ->
                assertThat(summary).contains("an action made things worse and was rolled back"));
  }

  @Test
  void a_step_that_fails_outright_rolls_back_itself_and_the_step_before_it() {
    openFleet();
    // A deploy without a version: the fleet refuses to carry it out.
    buildSaga(simulator, step("scale", Map.of("replicas", "5")), step("deploy", Map.of()));
    memoryAfterAction = () -> UNCHANGED_MEMORY;
    String id = leak();
    work(runner, "w");

    assertThat(auditedDetails(id, AuditAction.ACTION_FAILED))
        .singleElement()
        .satisfies(
            details -> {
              assertThat(details).containsEntry("step", "2").containsEntry("steps", "2");
              assertThat(details.get("summary")).startsWith("step 2 of 2: deploy simulator:api");
            });
    assertThat(auditedDetails(id, AuditAction.ACTION_ROLLED_BACK))
        .extracting(details -> details.get("step"))
        .containsExactly("2", "1");
    assertThat(api().replicas()).isEqualTo(3);
    assertThat(api().version()).isEqualTo("v2.14.0");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(audited(id)).doesNotContain(AuditAction.INCIDENT_RESOLVED);
  }

  @Test
  void a_step_that_recovers_the_incident_leaves_the_rest_of_the_plan_untaken() {
    openFleet();
    buildSaga(
        simulator, step("scale", Map.of("replicas", "5")), step("scale", Map.of("replicas", "8")));
    memoryAfterAction = () -> api().replicas() >= 5 ? RECOVERED_MEMORY : UNCHANGED_MEMORY;
    String id = leak();
    work(runner, "w");

    assertThat(api().replicas()).isEqualTo(5);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(auditedDetails(id, AuditAction.ACTION_EXECUTED))
        .extracting(details -> details.get("step"))
        .containsExactly("1");
    assertThat(incidents.timeline(id, 100))
        .filteredOn(event -> event.kind().equals("verification"))
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.summary())
                    .startsWith("step 1 of 2: recovered")
                    .endsWith("the plan's remaining 1 step(s) are not needed"));
  }

  @Test
  void a_step_the_guard_refuses_rolls_back_the_steps_before_it_and_goes_to_a_human() {
    openFleet();
    // The limits allow at most 50 replicas: step 2 is refused before it touches anything.
    buildSaga(
        simulator, step("scale", Map.of("replicas", "5")), step("scale", Map.of("replicas", "60")));
    memoryAfterAction = () -> UNCHANGED_MEMORY;
    String id = leak();
    work(runner, "w");

    assertThat(auditedDetails(id, AuditAction.ACTION_REFUSED))
        .singleElement()
        .satisfies(details -> assertThat(details).containsEntry("step", "2"));
    assertThat(auditedDetails(id, AuditAction.ACTION_ROLLED_BACK))
        .extracting(details -> details.get("step"))
        .as("only the step that acted")
        .containsExactly("1");
    assertThat(api().replicas()).isEqualTo(3);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(auditDetails(id, AuditAction.ESCALATED))
        .hasEntrySatisfying(
            "summary",
            summary ->
                assertThat(summary)
                    .contains("step 2 of 2 (scale simulator:api {replicas=60}) was not applied")
                    .contains("the steps the plan had taken were rolled back"));
    assertThat(audited(id))
        .as("a human decides: no second round")
        .containsOnlyOnce(AuditAction.ANALYSIS_COMPLETED);
  }

  @Test
  void a_restart_in_the_middle_of_a_three_step_plan_resumes_it_without_repeating_a_step() {
    openFleet();
    fleet.deploy("api", "v2.15.0", T0 - 60_000);
    simulator.save();
    // Sentinel dies right after step 2 took effect, before its outcome was recorded.
    Executor dying = new DyingExecutor(simulator, "/execute/2");
    buildSaga(
        dying,
        step("scale", Map.of("replicas", "4")),
        step("scale", Map.of("delta", "+1")),
        step("rollback", Map.of()));
    memoryAfterAction =
        () -> api().version().equals("v2.14.0") ? RECOVERED_MEMORY : UNCHANGED_MEMORY;
    String id = leak();
    work(runner, "w");
    assertThat(api().replicas()).isEqualTo(5);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.REMEDIATING);

    // A new Sentinel: the fleet as its state file has it, a new graph over the same stores.
    openFleet();
    wire(planOnce(), ApprovalConfig.defaults(), List.of(platform, simulator));
    clock.advance(10_000);
    work(runner, "w");

    assertThat(api().replicas()).as("the relative scale of step 2 acted once").isEqualTo(5);
    assertThat(api().version()).isEqualTo("v2.14.0");
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(auditedDetails(id, AuditAction.ACTION_EXECUTED))
        .extracting(details -> details.get("step"))
        .containsExactly("1", "2", "3");
    assertThat(runner.state(id, 1).orElseThrow().steps())
        .extracting(StepOutcome::number, StepOutcome::recovery)
        .containsExactly(
            tuple(1, Recovery.UNCHANGED),
            tuple(2, Recovery.UNCHANGED),
            tuple(3, Recovery.RECOVERED));
  }

  @Test
  void a_dry_run_plan_records_every_step_as_dry_run_and_changes_nothing() {
    openFleet();
    sagaDryRun = true;
    buildSaga(simulator, step("scale", Map.of("replicas", "5")), step("restart", Map.of()));
    String id = leak();
    work(runner, "w");

    assertThat(api().replicas()).isEqualTo(3);
    assertThat(auditedDetails(id, AuditAction.ACTION_DRY_RUN))
        .extracting(details -> details.get("step") + " of " + details.get("steps"))
        .containsExactly("1 of 2", "2 of 2");
    assertThat(audited(id)).doesNotContain(AuditAction.ACTION_EXECUTED);
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.ESCALATED);
  }

  /** The simulator's executor, but the process dies right after one key's action took effect. */
  private static final class DyingExecutor implements Executor {
    private final Executor fleet;
    private final String dyingAfter;
    private boolean died;

    DyingExecutor(Executor fleet, String dyingAfter) {
      this.fleet = fleet;
      this.dyingAfter = dyingAfter;
    }

    @Override
    public String platform() {
      return fleet.platform();
    }

    @Override
    public Set<String> operations() {
      return fleet.operations();
    }

    @Override
    public PriorState capture(Action action) {
      return fleet.capture(action);
    }

    @Override
    public ActionResult apply(Action action, String key) {
      ActionResult result = fleet.apply(action, key);
      if (!died && key.endsWith(dyingAfter)) {
        died = true;
        throw new IllegalStateException("simulated crash right after " + key + " took effect");
      }
      return result;
    }

    @Override
    public ActionResult restore(PriorState prior, String key) {
      return fleet.restore(prior, key);
    }

    @Override
    public boolean safeToRepeat(Action action) {
      return fleet.safeToRepeat(action);
    }

    @Override
    public Map<String, String> describe(Target target) {
      return fleet.describe(target);
    }
  }
}
