package dev.sentinel.workflow;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.approve.ApprovalDecision;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Plan;
import dev.sentinel.verify.RecoveryReport;
import dev.sentinel.verify.VerifyProgress;
import java.util.List;
import java.util.Map;
import org.bsc.langgraph4j.state.AgentState;

/**
 * The typed view of one incident's workflow state. LangGraph4j keeps state as a map (and the
 * checkpoint saver stores it); this record is how the nodes read it, and {@link Update} is how they
 * write the keys they change. Nothing else touches the map.
 *
 * @param run which workflow run of the incident (a reopened incident runs again)
 * @param iteration how many analyse–act–verify rounds have started (1 for the first)
 * @param prior the prior state of the step that acted last (see {@link #steps} for every step)
 * @param result how the action of the step that acted last ended
 * @param report the verification of the step that was verified last
 * @param steps the plan's steps taken in this round, in order, each with its outcome; the last one
 *     is the current step. Empty before the first step and after a new analysis.
 * @param attempts one line per finished action, oldest first: {@code <action> -> <outcome>}
 * @param outcome how the run ended ({@code resolved}, {@code escalated}), or null while running
 * @param verification where the verification of the current step stands between two readings; null
 *     when none is under way (the run is parked until its next reading, see {@link Closure#verify})
 */
public record CaseState(
    String incidentId,
    int run,
    int iteration,
    Analysis analysis,
    Plan plan,
    ApprovalDecision decision,
    PriorState prior,
    ActionResult result,
    long actionAtMillis,
    RecoveryReport report,
    List<StepOutcome> steps,
    List<String> attempts,
    String outcome,
    VerifyProgress verification) {

  public CaseState {
    steps = steps == null ? List.of() : List.copyOf(steps);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  static final String INCIDENT = "incidentId";
  static final String RUN = "run";
  static final String ITERATION = "iteration";
  static final String ANALYSIS = "analysis";
  static final String PLAN = "plan";
  static final String DECISION = "decision";
  static final String PRIOR = "prior";
  static final String RESULT = "result";
  static final String ACTION_AT = "actionAtMillis";
  static final String REPORT = "report";
  static final String STEPS = "steps";
  static final String ATTEMPTS = "attempts";
  static final String OUTCOME = "outcome";
  static final String VERIFICATION = "verification";

  /** The X-Request-ID of the request that last resumed the run (an approval); absent before. */
  static final String REQUEST_ID = "requestId";

  /** The state a new run starts from. */
  static Map<String, Object> initial(String incidentId, int run) {
    return Map.of(INCIDENT, incidentId, RUN, run, ITERATION, 0, ACTION_AT, 0L);
  }

  static CaseState of(AgentState state, CaseCodec codec) {
    return of(state.data(), codec);
  }

  static CaseState of(Map<String, Object> data, CaseCodec codec) {
    Plan plan = codec.read(data.get(PLAN), Plan.class);
    PriorState prior = codec.read(data.get(PRIOR), PriorState.class);
    ActionResult result = codec.read(data.get(RESULT), ActionResult.class);
    RecoveryReport report = codec.read(data.get(REPORT), RecoveryReport.class);
    List<StepOutcome> steps =
        data.containsKey(STEPS)
            ? codec.readSteps(data.get(STEPS))
            : legacySteps(plan, prior, result, report);
    return new CaseState(
        (String) data.get(INCIDENT),
        ((Number) data.getOrDefault(RUN, 1)).intValue(),
        ((Number) data.getOrDefault(ITERATION, 0)).intValue(),
        codec.read(data.get(ANALYSIS), Analysis.class),
        plan,
        codec.read(data.get(DECISION), ApprovalDecision.class),
        prior,
        result,
        ((Number) data.getOrDefault(ACTION_AT, 0L)).longValue(),
        report,
        steps,
        codec.readList(data.get(ATTEMPTS)),
        Update.NONE.equals(data.get(OUTCOME)) ? null : (String) data.get(OUTCOME),
        codec.read(data.get(VERIFICATION), VerifyProgress.class));
  }

  /**
   * The steps of a checkpoint written before plans ran as sagas (it has no {@value #STEPS} key).
   * That code ran the plan's first step only and kept its outcome in {@code prior}, {@code result}
   * and {@code report}, and cleared them on each new analysis; so a result there is the first
   * step's. Its rollback node wrote the restore's result over {@code result}, but a checkpoint
   * taken after a rollback only goes on to analyse (which starts the steps afresh) or to escalate
   * (which rolls nothing back), so reading it as "not rolled back yet" changes no decision.
   */
  private static List<StepOutcome> legacySteps(
      Plan plan, PriorState prior, ActionResult result, RecoveryReport report) {
    if (plan == null || plan.isEmpty() || result == null) {
      return List.of();
    }
    StepOutcome first =
        StepOutcome.taken(1, plan.size(), plan.steps().getFirst().action(), prior, result);
    return List.of(report == null ? first : first.verified(report.recovery()));
  }

  /**
   * The request id the run's steps work under: the one of the request that last resumed the run (an
   * approval's X-Request-ID), else one named after the incident and run, so an outbound call and
   * its log lines can be traced back to the incident without a caller.
   */
  static String requestId(Map<String, Object> data) {
    if (data.get(REQUEST_ID) instanceof String id && !id.isBlank()) {
      return id;
    }
    return "incident-" + data.get(INCIDENT) + "-run-" + data.getOrDefault(RUN, 1);
  }

  /** The step being worked on: the last one taken in this round; null before the first. */
  public StepOutcome currentStep() {
    return steps.isEmpty() ? null : steps.getLast();
  }

  /** Whether the plan has a step after the current one. */
  boolean hasNextStep() {
    return plan != null && steps.size() < plan.size();
  }

  /** The last action line, e.g. {@code restart simulator:checkout -> recovered}. */
  public String lastAttempt() {
    return attempts.isEmpty() ? null : attempts.getLast();
  }
}
