package dev.sentinel.workflow;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The incidents whose workflow has work to do, shared by every Sentinel instance. A worker claims
 * one case at a time; while it holds the claim no other worker can take that case, and if the
 * worker dies the claim ends with it, so the case is simply claimed again.
 *
 * <p>Thread-safe. In PostgreSQL a claim is a row lock ({@code FOR UPDATE SKIP LOCKED}) held by the
 * worker's open transaction.
 */
public interface CaseQueue {

  /**
   * Makes the incident's workflow runnable from {@code notBeforeMillis} on: a new case starts run
   * 1; a finished case (the incident reopened) starts the next run; a waiting or runnable case is
   * left as it is. The delay lets an incident gather evidence before it is analysed.
   */
  void enqueue(String incidentId, long notBeforeMillis);

  /** Claims the next runnable case that is due, if any. */
  Optional<Claim> claim(String worker);

  /**
   * Runs {@code change} on a waiting case while holding its lock, then makes it runnable: how an
   * approval given on any instance hands the case back to the workers.
   *
   * @return false when the case is not waiting (nothing ran)
   */
  boolean wakeWaiting(String incidentId, Consumer<Integer> change);

  /** The incident's current run number, 0 when its workflow never started. */
  int currentRun(String incidentId);

  /** One claimed case. Closing it without a verdict makes it runnable again. */
  interface Claim extends AutoCloseable {
    String incidentId();

    int run();

    /** Waiting for a human: no worker takes it until {@link #wakeWaiting}. */
    void park();

    /** The run ended. */
    void finish();

    /** Something failed; try again no earlier than {@code atMillis}. */
    void retryAt(long atMillis);

    @Override
    void close();
  }
}
