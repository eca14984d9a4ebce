package dev.sentinel.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sentinel-workflow-leases").daemon(true).factory());
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
      Thread working = Thread.currentThread();
      // Six renewals per lease: a few slow or failed ones do not lose it.
      long every = config.leaseMillis() / 6;
      ScheduledFuture<?> renewal =
          renewals.scheduleWithFixedDelay(
              () -> renew(claim, working), every, every, TimeUnit.MILLISECONDS);
      try {
        work(claim);
      } finally {
        renewal.cancel(false);
      }
    }
    return true;
  }

  /**
   * Keeps the claim's lease; if it was lost (this instance stalled past the lease and another took
   * the case over), stops this worker's run: its verdicts would be refused anyway.
   */
  private void renew(CaseQueue.Claim claim, Thread working) {
    try {
      if (!claim.renew()) {
        log.warn(
            "incident {}: the lease on its workflow was lost; another worker has taken it over",
            claim.incidentId());
        working.interrupt();
      }
    } catch (RuntimeException e) {
      log.warn("incident {}: renewing the workflow's lease failed", claim.incidentId(), e);
    }
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
        if (claim.park()) {
          workflow.parked(CaseState.of(snapshot.state(), workflow.work().codec));
        }
      } else if (IncidentWorkflow.RECHECK.equals(snapshot.next())) {
        // Verifying, between two readings: the case waits in the queue, not on a worker.
        CaseState state = CaseState.of(snapshot.state(), workflow.work().codec);
        claim.retryAt(state.verification().nextAtMillis());
      } else {
        claim.finish();
      }
    } catch (RuntimeException e) {
      if (cause(e, IncidentMovedOn.class) instanceof IncidentMovedOn movedOn) {
        log.info(
            "incident {}: run {} ends: {}", claim.incidentId(), claim.run(), movedOn.getMessage());
        claim.finish();
        return;
      }
      KnockOn.Deferral deferral = cause(e, KnockOn.Deferral.class);
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

  /** The failure of the given type behind a node's failure (the graph library may wrap it). */
  private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
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
    renewals.shutdownNow();
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
