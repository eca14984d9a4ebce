package dev.sentinel.workflow;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncEdgeAction.edge_async;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.trace.RequestIds;
import java.util.Map;
import java.util.function.Function;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.state.AgentState;

/**
 * The incident workflow as a LangGraph4j state graph:
 *
 * <pre>
 *   analyse → plan → approve ─┬─► execute ─┬─► verify ─┬─► resolve ─► learn ─► END
 *                             │      ▲     │           ├─► rollback ─► analyse (bounded)
 *                             │      └─────┴───────────┤   (once per step taken, newest first)
 *                             │  (the plan's next step) └─► analyse (unchanged, bounded)
 *                             └─► await_approval
 *                                 (graph stops here until a human decides)
 *   any dead end ─► escalate ─► learn ─► END
 *   verify ─► recheck ─► verify   (no verdict yet: the graph stops before recheck
 *                                   until the next reading)
 * </pre>
 *
 * A plan runs as a saga: execute takes one step per pass and verify judges it; unchanged (or a
 * dry-run) goes on to the next step, recovered ends the plan, and a step that fails or makes things
 * worse sends the run to rollback, which undoes one step per pass, newest first, until every step
 * taken is undone ({@link Remedy}, {@link Closure}). Verify takes one reading per pass; until it
 * has a verdict the graph stops before recheck and the runner parks the case until the next reading
 * is due, so no worker waits while a service recovers.
 *
 * <p>Checkpointed after every node by the saver it is compiled with, so a run continues on any
 * instance after a crash or an approval.
 */
public final class IncidentWorkflow {

  static final String ANALYSE = "analyse";
  static final String PLAN = "plan";
  static final String APPROVE = "approve";
  static final String AWAIT = Approval.WAIT;
  static final String EXECUTE = Approval.EXECUTE;
  static final String VERIFY = Remedy.VERIFY;
  static final String ROLLBACK = Remedy.ROLLBACK;
  static final String RECHECK = Closure.RECHECK;
  static final String RESOLVE = Closure.RESOLVE;
  static final String ESCALATE = Closure.ESCALATE;
  static final String LEARN = "learn";

  private final CompiledGraph<AgentState> graph;
  private final Casework work;
  private final WorkflowEvents events;
  private final Approval approval;

  /**
   * @param platform the platform whose executor describes affected services for analysis
   */
  public IncidentWorkflow(WorkflowParts parts, BaseCheckpointSaver saver, String platform) {
    // Each node gets the collaborators it uses, and no more.
    ExecutorRegistry executors = parts.guard().registry();
    int maxIterations = parts.config().maxIterations();
    this.events = parts.events();
    this.work =
        new Casework(
            parts.incidents(), parts.audit(), parts.anomalies(), executors, events, parts.clock());
    Diagnosis diagnosis =
        new Diagnosis(
            work,
            parts.analyst(),
            parts.planner(),
            parts.verifier(),
            executors,
            new KnockOn(work, parts.anomalies()),
            parts.config().settleSeconds(),
            platform);
    this.approval = new Approval(work, parts.policy(), events);
    Remedy remedy = new Remedy(work, parts.guard(), parts.journal());
    Compensation compensation =
        new Compensation(work, parts.guard(), parts.journal(), maxIterations);
    Closure closure =
        new Closure(work, parts.verifier(), parts.policy(), parts.lessons(), maxIterations);
    try {
      StateGraph<AgentState> definition =
          new StateGraph<>(AgentState::new)
              .addNode(ANALYSE, node(ANALYSE, diagnosis::analyse))
              .addNode(PLAN, node(PLAN, diagnosis::plan))
              .addNode(APPROVE, node(APPROVE, approval::approve))
              .addNode(AWAIT, node(AWAIT, approval::await))
              .addNode(EXECUTE, node(EXECUTE, remedy::execute))
              .addNode(VERIFY, node(VERIFY, closure::verify))
              .addNode(RECHECK, node(RECHECK, closure::recheck))
              .addNode(ROLLBACK, node(ROLLBACK, compensation::rollback))
              .addNode(RESOLVE, node(RESOLVE, closure::resolve))
              .addNode(ESCALATE, node(ESCALATE, closure::escalate))
              .addNode(LEARN, node(LEARN, closure::learn))
              .addEdge(START, ANALYSE)
              .addConditionalEdges(ANALYSE, route(diagnosis::afterAnalyse), targets(PLAN, RESOLVE))
              .addEdge(PLAN, APPROVE)
              .addConditionalEdges(
                  APPROVE, route(approval::afterApprove), targets(EXECUTE, AWAIT, ESCALATE))
              .addConditionalEdges(
                  AWAIT, route(approval::afterAwait), targets(EXECUTE, AWAIT, ESCALATE))
              .addConditionalEdges(
                  EXECUTE,
                  route(remedy::afterExecute),
                  targets(VERIFY, EXECUTE, ROLLBACK, ESCALATE))
              .addConditionalEdges(
                  VERIFY,
                  route(closure::afterVerify),
                  targets(RESOLVE, EXECUTE, ROLLBACK, ANALYSE, ESCALATE, RECHECK))
              .addEdge(RECHECK, VERIFY)
              .addConditionalEdges(
                  ROLLBACK,
                  route(compensation::afterRollback),
                  targets(ROLLBACK, ANALYSE, ESCALATE))
              .addEdge(RESOLVE, LEARN)
              .addEdge(ESCALATE, LEARN)
              .addEdge(LEARN, END);
      this.graph =
          definition.compile(
              CompileConfig.builder()
                  .checkpointSaver(saver)
                  .interruptBefore(AWAIT, RECHECK)
                  .build());
    } catch (GraphStateException e) {
      throw new IllegalStateException("the incident workflow graph is malformed", e);
    }
  }

  CompiledGraph<AgentState> graph() {
    return graph;
  }

  Casework work() {
    return work;
  }

  /** The run stopped for a human and its case is parked: ask for the decision. */
  void parked(CaseState state) {
    approval.announce(state);
  }

  /**
   * A node body that reads the typed state; checked exceptions fail the node (and the run). The
   * events hook hears when each node starts and ends (spans and step durations in the app), and the
   * node works under the run's request id ({@link CaseState#requestId}).
   */
  @FunctionalInterface
  interface Step {
    Map<String, Object> apply(CaseState state) throws Exception;
  }

  private org.bsc.langgraph4j.action.AsyncNodeAction<AgentState> node(String name, Step step) {
    return node_async(
        state -> {
          CaseState typed = CaseState.of(state, work.codec);
          if (!LEARN.equals(name)) {
            work.checkStillOurs(typed.incidentId());
          }
          try (RequestIds.Scope named = RequestIds.open(CaseState.requestId(state.data()))) {
            return observed(name, step, typed);
          }
        });
  }

  private Map<String, Object> observed(String name, Step step, CaseState typed) throws Exception {
    WorkflowEvents.Step observed = events.stepStarted(name, typed.incidentId());
    try {
      Map<String, Object> update = step.apply(typed);
      observed.ended("ok", null);
      return update;
    } catch (KnockOn.Deferral deferral) {
      observed.ended("deferred", null);
      throw deferral;
    } catch (Exception | Error e) {
      observed.ended("error", e);
      throw e;
    }
  }

  private org.bsc.langgraph4j.action.AsyncEdgeAction<AgentState> route(
      Function<CaseState, String> decide) {
    return edge_async(state -> decide.apply(CaseState.of(state, work.codec)));
  }

  private static Map<String, String> targets(String... nodes) {
    Map<String, String> targets = new java.util.HashMap<>();
    for (String node : nodes) {
      targets.put(node, node);
    }
    return targets;
  }
}
