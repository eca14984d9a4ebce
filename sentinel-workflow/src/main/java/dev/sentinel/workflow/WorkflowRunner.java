package dev.sentinel.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphInput;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.StateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works incident cases: each worker claims a runnable case, runs its graph from its last checkpoint
 * until the graph ends or stops for a human, and releases it. Any instance's workers can take any
 * case: all that matters lives in the shared queue and checkpoints.
 */
public final class WorkflowRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkflowRunner.class);

  private final IncidentWorkflow workflow;
  private final CaseQueue queue;
  private final BaseCheckpointSaver saver;
  private final WorkflowConfig config;
  private final String instance;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;

  /** Set by close(): failures from then on are the shutdown's, not the case's. */
  private volatile boolean closing;

  public WorkflowRunner(
      IncidentWorkflow workflow,
      CaseQueue queue,
      BaseCheckpointSaver saver,
      WorkflowConfig config,
      String instance) {
    this.workflow = workflow;
    this.queue = queue;
    this.saver = saver;
    this.config = config;
    this.instance = instance;
  }

  /** The graph's thread for one run of an incident. */
  static RunnableConfig thread(String incidentId, int run) {
    return RunnableConfig.builder().threadId(incidentId + "/" + run).build();
  }

  public void start() {
    running = true;
    for (int i = 0; i < config.workers(); i++) {
      String name = "sentinel-workflow-" + i;
      workers.add(Thread.ofVirtual().name(name).start(() -> work(name)));
    }
  }

  private void work(String name) {
    while (running) {
      try {
        if (!runOne(instance + ":" + name)) {
          Thread.sleep(config.pollMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closing) {
          return; // stopping: the state store may already be closing under us
        }
        log.error("workflow worker {} failed to claim work", name, e);
        sleepQuietly(config.pollMillis() * 5);
      }
    }
  }

  /**
   * Claims and works one case.
   *
   * @return false when no case was runnable
   */
  public boolean runOne(String worker) {
    Optional<CaseQueue.Claim> claimed = queue.claim(worker);
    if (claimed.isEmpty()) {
      return false;
    }
    try (CaseQueue.Claim claim = claimed.get()) {
      work(claim);
    }
    return true;
  }

  private void work(CaseQueue.Claim claim) {
    RunnableConfig thread = thread(claim.incidentId(), claim.run());
    CompiledGraph<AgentState> graph = workflow.graph();
    try {
      if (saver.get(thread).isEmpty()) {
        graph.invoke(CaseState.initial(claim.incidentId(), claim.run()), thread);
      } else {
        graph.invoke(GraphInput.resume(), thread);
      }
      StateSnapshot<AgentState> snapshot = graph.getState(thread);
      if (IncidentWorkflow.AWAIT.equals(snapshot.next())) {
        claim.park();
      } else {
        claim.finish();
      }
    } catch (RuntimeException e) {
      KnockOn.Deferral deferral = deferral(e);
      if (deferral != null) {
        log.info("incident {} deferred: {}", claim.incidentId(), deferral.getMessage());
        claim.retryAt(deferral.untilMillis);
        return;
      }
      if (closing) {
        // Interrupted by close(): leave the case as its last checkpoint has it; the claim's
        // release makes it runnable again, and the next start (on any instance) resumes it.
        log.info(
            "incident {}: workflow step interrupted by shutdown; resumes at the next start",
            claim.incidentId());
        return;
      }
      log.error(
          "workflow step of incident {} failed; retrying in {} s",
          claim.incidentId(),
          config.retrySeconds(),
          e);
      claim.retryAt(workflow.work().now() + config.retrySeconds() * 1000);
    }
  }

  /** The deferral behind a node's failure (the graph library may wrap it), or null. */
  private static KnockOn.Deferral deferral(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KnockOn.Deferral deferral) {
        return deferral;
      }
    }
    return null;
  }

  /** Works runnable cases until none is left; for tests and tools. */
  public int drain(String worker) {
    int worked = 0;
    while (runOne(worker)) {
      worked++;
    }
    return worked;
  }

  /** The workflow state of an incident's run, for the API; empty before the run starts. */
  public Optional<CaseState> state(String incidentId, int run) {
    return saver
        .get(thread(incidentId, run))
        .map(checkpoint -> CaseState.of(checkpoint.getState(), workflow.work().codec));
  }

  /** Writes values into a waiting run's state; used by approvals. */
  void update(String incidentId, int run, Map<String, Object> values) {
    try {
      workflow.graph().updateState(thread(incidentId, run), values, null);
    } catch (Exception e) {
      throw new IllegalStateException("cannot update the workflow of " + incidentId, e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing = true;
    running = false;
    for (Thread worker : workers) {
      worker.interrupt();
    }
    for (Thread worker : workers) {
      try {
        worker.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
