package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalySink;
import dev.sentinel.ingest.SeriesKey;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between detection and the incident store: detection threads drop anomalies into a bounded
 * queue and go on; one desk thread hands them, in order, to correlation, which may talk to a
 * database. Nothing the database does can slow, block or fail a detection thread.
 *
 * <p>When the queue is full, the older anomalies of every series that has a newer one queued are
 * merged away first (the newer one stands for the episode); if it is still full, the new anomaly is
 * shed. Both are counted, and {@link #stats()} shows them, so a loss is never silent.
 *
 * <p>When correlation throws, nothing was recorded for that anomaly (see {@link
 * Correlator#accept(Anomaly)}): the desk keeps it at the head of the queue and tries again, backing
 * off up to {@link DeskConfig#retryMaxMillis()}, while the queue goes on taking (and, if need be,
 * merging) new anomalies. So a store outage turns into held anomalies that become incidents once
 * the store is back. A failure that is not transient (the store refused what was asked, or a bug)
 * is tried {@value #REFUSED_TRIES} times and then the anomaly is dropped and counted; so is an
 * anomaly that still fails after {@link DeskConfig#giveUpSeconds()}, so that one anomaly cannot
 * stall the desk for good.
 *
 * <p>Anomalies found in history, timestamped before {@link #historyBefore}, only trained the
 * detectors: the desk counts them and opens nothing for them (a back-fill of past days must not
 * open incidents dated days ago, which later faults would then reopen).
 *
 * <p>Thread-safe: {@link #accept} may be called from any number of threads.
 */
public final class IncidentDesk implements AnomalySink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IncidentDesk.class);
  private static final long FIRST_RETRY_MILLIS = 100;
  static final int REFUSED_TRIES = 3;

  /** An anomaly in the queue; identity equality, so removing one never removes its twin. */
  private static final class Held {
    final Anomaly anomaly;
    final long heldSinceMillis;

    Held(Anomaly anomaly, long heldSinceMillis) {
      this.anomaly = anomaly;
      this.heldSinceMillis = heldSinceMillis;
    }
  }

  /**
   * What the desk holds and has done since it started.
   *
   * @param held anomalies waiting now
   * @param oldestAgeMillis how long the oldest of them has waited (0 when none)
   * @param merged older anomalies dropped for a newer one of the same series in a full queue
   * @param shed anomalies refused because the queue was full of distinct series
   * @param abandoned anomalies dropped after failing for longer than the give-up time
   * @param history anomalies timestamped before the history horizon: counted, not correlated
   * @param failing whether the last try to correlate failed (the store is down, most likely)
   * @param lastError the last failure's message, or empty
   */
  public record Stats(
      int held,
      int capacity,
      long oldestAgeMillis,
      long accepted,
      long correlated,
      long merged,
      long shed,
      long failures,
      long abandoned,
      long history,
      boolean failing,
      String lastError) {}

  private final DeskConfig config;
  private final Consumer<Anomaly> correlate;
  private final Predicate<Throwable> isTransient;
  private final Clock clock;
  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread worker;
  private long accepted;
  private long correlated;
  private long merged;
  private long shed;
  private long history;
  private long historyBefore = Long.MIN_VALUE;
  private long failures;
  private long abandoned;
  private boolean failing;
  private String lastError = "";
  private boolean closed;

  /** A desk that takes every failure for a transient one (an in-memory store has no others). */
  public IncidentDesk(DeskConfig config, Consumer<Anomaly> correlate, Clock clock) {
    this(config, correlate, failure -> true, clock);
  }

  /**
   * @param correlate turns one anomaly into its incident decision, all or nothing; it throws when
   *     nothing was recorded, and the desk then tries the same anomaly again later
   * @param isTransient whether a failure may pass by itself (the store is unreachable or
   *     restarting), so that the anomaly is held and retried until the give-up time
   */
  public IncidentDesk(
      DeskConfig config,
      Consumer<Anomaly> correlate,
      Predicate<Throwable> isTransient,
      Clock clock) {
    this.config = config;
    this.correlate = correlate;
    this.isTransient = isTransient;
    this.clock = clock;
    this.worker =
        Thread.ofPlatform().name("sentinel-incident-desk").daemon(true).unstarted(this::run);
  }

  public IncidentDesk start() {
    worker.start();
    return this;
  }

  /**
   * Marks what comes before {@code timestampMillis} as history: anomalies timestamped earlier are
   * counted and open nothing. The horizon only moves forward. A back-fill calls it before it
   * publishes past points.
   */
  public void historyBefore(long timestampMillis) {
    lock.lock();
    try {
      historyBefore = Math.max(historyBefore, timestampMillis);
    } finally {
      lock.unlock();
    }
  }

  /** Queues the anomaly; never blocks and never throws. */
  @Override
  public void accept(Anomaly anomaly) {
    lock.lock();
    try {
      if (anomaly.timestampMillis() < historyBefore) {
        history++;
        return;
      }
      if (closed) {
        shed++;
        return;
      }
      if (queue.size() >= config.capacity()) {
        mergeDuplicates();
      }
      if (queue.size() >= config.capacity()) {
        shed++;
        if (shed == 1 || Long.bitCount(shed) == 1) {
          log.warn(
              "incident desk full ({} anomalies of distinct series); {} shed so far",
              queue.size(),
              shed);
        }
        return;
      }
      queue.addLast(new Held(anomaly, clock.millis()));
      accepted++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Keeps the newest anomaly of each series; a full queue pays one pass for many free slots. */
  private void mergeDuplicates() {
    Set<SeriesKey> newer = new HashSet<>();
    Iterator<Held> newestFirst = queue.descendingIterator();
    while (newestFirst.hasNext()) {
      if (!newer.add(newestFirst.next().anomaly.series())) {
        newestFirst.remove();
        merged++;
      }
    }
  }

  public Stats stats() {
    lock.lock();
    try {
      Held oldest = queue.peekFirst();
      return new Stats(
          queue.size(),
          config.capacity(),
          oldest == null ? 0 : Math.max(0, clock.millis() - oldest.heldSinceMillis),
          accepted,
          correlated,
          merged,
          shed,
          failures,
          abandoned,
          history,
          failing,
          lastError);
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long pauseMillis = FIRST_RETRY_MILLIS;
    while (true) {
      Held next = next();
      if (next == null) {
        return;
      }
      try {
        correlate.accept(next.anomaly);
        done(next, true, "");
        pauseMillis = FIRST_RETRY_MILLIS;
      } catch (RuntimeException e) {
        boolean giveUp =
            clock.millis() - next.heldSinceMillis
                >= TimeUnit.SECONDS.toMillis(config.giveUpSeconds());
        if (giveUp) {
          log.error(
              "incident desk: gave up on an anomaly of {} after {} s of failures",
              next.anomaly.series(),
              config.giveUpSeconds(),
              e);
          done(next, false, String.valueOf(e.getMessage()));
        } else {
          failed(e, pauseMillis);
          if (!pause(pauseMillis)) {
            return;
          }
          pauseMillis = Math.min(config.retryMaxMillis(), pauseMillis * 2);
        }
      }
    }
  }

  /** The head of the queue, left in place until it is done; null once closed and drained. */
  private Held next() {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (closed) {
          return null;
        }
        changed.awaitUninterruptibly();
      }
      return queue.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  private void done(Held held, boolean success, String error) {
    lock.lock();
    try {
      // A full queue may have merged it away meanwhile; then there is nothing to remove.
      queue.removeFirstOccurrence(held);
      if (success) {
        correlated++;
        failing = false;
      } else {
        abandoned++;
        lastError = error;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void failed(RuntimeException e, long pauseMillis) {
    lock.lock();
    try {
      failures++;
      if (!failing) {
        log.warn(
            "incident desk: correlating failed ({}); holding {} anomalies and retrying",
            e.toString(),
            queue.size(),
            e);
      } else {
        log.debug("incident desk: still failing, next try in {} ms", pauseMillis, e);
      }
      failing = true;
      lastError = String.valueOf(e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  /** Waits before a retry; false when the desk was closed meanwhile and should stop trying. */
  private boolean pause(long millis) {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      while (nanos > 0 && !closed) {
        nanos = changed.awaitNanos(nanos);
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every anomaly queued so far is correlated (or dropped), or the time is up; for
   * tests and for an orderly stop.
   *
   * @return whether the queue ran empty in time
   */
  public boolean drain(long timeoutMillis) throws InterruptedException {
    long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while (!queue.isEmpty()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops taking anomalies, gives the desk up to five seconds to correlate what it holds (unless
   * the store is failing), then stops the thread. What is still held is logged as lost.
   */
  @Override
  public void close() {
    try {
      if (worker.isAlive() && !stats().failing()) {
        drain(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left;
    lock.lock();
    try {
      closed = true;
      left = queue.size();
      queue.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (left > 0) {
      log.warn("incident desk stopped with {} anomalies not yet correlated", left);
    }
    try {
      worker.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
