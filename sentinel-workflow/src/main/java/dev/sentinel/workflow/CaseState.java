package dev.sentinel.workflow;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.approve.ApprovalDecision;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Plan;
import dev.sentinel.verify.RecoveryReport;
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
 * @param attempts one line per finished action, oldest first: {@code <action> -> <outcome>}
 * @param outcome how the run ended ({@code resolved}, {@code escalated}), or null while running
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
    List<String> attempts,
    String outcome) {

  public CaseState {
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
  static final String ATTEMPTS = "attempts";
  static final String OUTCOME = "outcome";

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
    return new CaseState(
        (String) data.get(INCIDENT),
        ((Number) data.getOrDefault(RUN, 1)).intValue(),
        ((Number) data.getOrDefault(ITERATION, 0)).intValue(),
        codec.read(data.get(ANALYSIS), Analysis.class),
        codec.read(data.get(PLAN), Plan.class),
        codec.read(data.get(DECISION), ApprovalDecision.class),
        codec.read(data.get(PRIOR), PriorState.class),
        codec.read(data.get(RESULT), ActionResult.class),
        ((Number) data.getOrDefault(ACTION_AT, 0L)).longValue(),
        codec.read(data.get(REPORT), RecoveryReport.class),
        codec.readList(data.get(ATTEMPTS)),
        Update.NONE.equals(data.get(OUTCOME)) ? null : (String) data.get(OUTCOME));
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

  /** The last action line, e.g. {@code restart simulator:checkout -> recovered}. */
  public String lastAttempt() {
    return attempts.isEmpty() ? null : attempts.getLast();
  }
}
