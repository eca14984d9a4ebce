package dev.sentinel.workflow;

import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The case queue in memory: for tests and for running without a state store. Its lock also covers
 * the incident status moves that go with parking and waking a case (see {@link CaseQueue}).
 */
public final class InMemoryCaseQueue implements CaseQueue {

  private enum State {
    RUNNABLE,
    WAITING,
    DONE
  }

  private static final class Case {
    State state = State.RUNNABLE;
    int run = 1;
    long dueAt;
    boolean claimed;
    boolean rerun;

    void nextRun(long dueAtMillis) {
      state = State.RUNNABLE;
      run++;
      dueAt = dueAtMillis;
      rerun = false;
    }
  }

  private final Map<String, Case> cases = new LinkedHashMap<>();
  private final LongSupplier clock;
  private final IncidentStore incidents;

  public InMemoryCaseQueue(LongSupplier clock, IncidentStore incidents) {
    this.clock = clock;
    this.incidents = incidents;
  }

  @Override
  public synchronized void enqueue(String incidentId, long notBeforeMillis) {
    Case existing = cases.get(incidentId);
    if (existing == null) {
      Case created = new Case();
      created.dueAt = notBeforeMillis;
      cases.put(incidentId, created);
    } else if (existing.claimed) {
      existing.rerun = true;
    } else if (existing.state == State.DONE || existing.state == State.WAITING) {
      existing.nextRun(notBeforeMillis);
    }
  }

  @Override
  public synchronized Optional<Claim> claim(String worker) {
    long now = clock.getAsLong();
    for (Map.Entry<String, Case> entry : cases.entrySet()) {
      Case candidate = entry.getValue();
      if (candidate.state == State.RUNNABLE && !candidate.claimed && candidate.dueAt <= now) {
        candidate.claimed = true;
        return Optional.of(new MemoryClaim(entry.getKey(), candidate));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized boolean wakeWaiting(
      String incidentId, IncidentStatus next, Consumer<Integer> change) {
    Case waiting = cases.get(incidentId);
    if (waiting == null || waiting.state != State.WAITING) {
      return false;
    }
    change.accept(waiting.run);
    waiting.state = State.RUNNABLE;
    waiting.dueAt = 0;
    show(incidentId, IncidentStatus.AWAITING_APPROVAL, next);
    return true;
  }

  /** Moves the incident from {@code from} to {@code to}; leaves it be when it is elsewhere. */
  private void show(String incidentId, IncidentStatus from, IncidentStatus to) {
    incidents
        .find(incidentId)
        .filter(incident -> incident.status() == from)
        .ifPresent(incident -> incidents.transition(incidentId, to, clock.getAsLong(), null));
  }

  @Override
  public synchronized int currentRun(String incidentId) {
    Case found = cases.get(incidentId);
    return found == null ? 0 : found.run;
  }

  /** The state of a case, for tests: runnable, waiting or done. */
  public synchronized String stateOf(String incidentId) {
    Case found = cases.get(incidentId);
    return found == null ? "absent" : found.state.name().toLowerCase(java.util.Locale.ROOT);
  }

  private final class MemoryClaim implements Claim {
    private final String incidentId;
    private final Case claimed;

    /** Set by a verdict, which releases the case; close then has nothing left to release. */
    private boolean decided;

    MemoryClaim(String incidentId, Case claimed) {
      this.incidentId = incidentId;
      this.claimed = claimed;
    }

    @Override
    public String incidentId() {
      return incidentId;
    }

    @Override
    public int run() {
      return claimed.run;
    }

    /** In one process a claim cannot be taken over: it lasts until closed. */
    @Override
    public boolean renew() {
      return true;
    }

    @Override
    public boolean park() {
      synchronized (InMemoryCaseQueue.this) {
        if (!stop(State.WAITING)) {
          return false;
        }
        incidents
            .find(incidentId)
            .filter(
                incident ->
                    incident.status() == IncidentStatus.OPEN
                        || incident.status() == IncidentStatus.REMEDIATING)
            .ifPresent(
                incident ->
                    incidents.transition(
                        incidentId, IncidentStatus.AWAITING_APPROVAL, clock.getAsLong(), null));
        return true;
      }
    }

    @Override
    public void finish() {
      stop(State.DONE);
    }

    /** Returns false when the case was marked to run again and starts its next run instead. */
    private boolean stop(State state) {
      synchronized (InMemoryCaseQueue.this) {
        // Released with the verdict: a waiting case can be woken at once.
        release();
        if (claimed.rerun) {
          claimed.nextRun(clock.getAsLong());
          return false;
        }
        claimed.state = state;
        return true;
      }
    }

    @Override
    public void retryAt(long atMillis) {
      synchronized (InMemoryCaseQueue.this) {
        claimed.dueAt = atMillis;
        release();
      }
    }

    private void release() {
      decided = true;
      claimed.claimed = false;
    }

    @Override
    public void close() {
      synchronized (InMemoryCaseQueue.this) {
        if (!decided) {
          claimed.claimed = false;
        }
      }
    }
  }
}
