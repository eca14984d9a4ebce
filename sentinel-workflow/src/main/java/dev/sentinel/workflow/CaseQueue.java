package dev.sentinel.workflow;

import dev.sentinel.incident.IncidentStatus;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The incidents whose workflow has work to do, shared by every Sentinel instance. A worker claims
 * one case at a time; while it holds the claim no other worker can take that case, and if the
 * worker dies the claim ends with it, so the case is simply claimed again.
 *
 * <p>Thread-safe. In PostgreSQL a claim is a lease: a committed row update with an expiry that the
 * worker renews ({@link Claim#renew}); no transaction is held while the case is worked.
 */
public interface CaseQueue {

  /**
   * Makes the incident's workflow runnable from {@code notBeforeMillis} on: a new case starts run
   * 1; a finished case, or one waiting on a plan (the incident reopened, so that plan answered an
   * earlier fault), starts the next run; a case being worked runs again once its current run stops;
   * a runnable case is left as it is. The delay lets an incident gather evidence before it is
   * analysed.
   */
  void enqueue(String incidentId, long notBeforeMillis);

  /** Claims the next runnable case that is due, if any. */
  Optional<Claim> claim(String worker);

  /**
   * Runs {@code change} on a waiting case while holding its lock, then makes it runnable and moves
   * its incident from {@link IncidentStatus#AWAITING_APPROVAL} to {@code next}, in one transaction:
   * how a human decision taken on any instance hands the case back to the workers.
   *
   * @return false when the case is not waiting (nothing ran)
   */
  boolean wakeWaiting(String incidentId, IncidentStatus next, Consumer<Integer> change);

  /** The incident's current run number, 0 when its workflow never started. */
  int currentRun(String incidentId);

  /** One claimed case. Closing it without a verdict makes it runnable again. */
  interface Claim extends AutoCloseable {
    String incidentId();

    int run();

    /**
     * Extends the claim; the worker calls it while it works.
     *
     * @return false when the claim was lost (it expired and another worker took the case): the
     *     worker should stop working it
     */
    boolean renew();

    /**
     * Waiting for a human: no worker takes it until {@link #wakeWaiting}. In the same transaction
     * its incident, unless resolved or escalated meanwhile, shows {@link
     * IncidentStatus#AWAITING_APPROVAL}: the status a human decides on and the case's state never
     * disagree. A case marked to run again (see {@link #enqueue}) starts its next run instead, and
     * its incident keeps its status.
     *
     * @return true when the case now waits for a human
     */
    boolean park();

    /** The run ended; a case marked to run again starts its next run. */
    void finish();

    /** Something failed; try again no earlier than {@code atMillis}. */
    void retryAt(long atMillis);

    @Override
    void close();
  }
}
