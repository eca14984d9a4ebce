package dev.sentinel.history;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link TelemetryStore} without ever making detection wait for it. {@link #offer} copies
 * points into a batch under a short lock and returns; a thread of its own writes full batches (at
 * {@code batchPoints}) and aged ones (after {@code flushInterval}).
 *
 * <p>When the store fails, the batch stays at the head of the queue and is retried with doubling
 * backoff, in order; new points keep queueing behind it. Everything held — the batch being filled,
 * the batches waiting and the one being retried — counts against {@code bufferPoints}. Beyond that
 * bound, offered points are dropped (the newest, so the buffer keeps a gap-free stretch from the
 * start of the outage), counted in {@link WriterHealth#droppedPoints()} and logged: never silently.
 * When the store is back, the buffer drains without loss.
 *
 * <p>Delivery is at least once: a write that failed after the store took part of it is retried
 * whole (see {@link TelemetryStore#append}).
 *
 * <p>Tests drive it without the thread: leave it unstarted, move an injected clock and call {@link
 * #writeDue()}.
 */
public final class TelemetryWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TelemetryWriter.class);
  private static final int SPARE_BATCHES = 4;

  private final TelemetryStore store;
  private final SeriesRegistry registry;
  private final WriterConfig config;
  private final Clock clock;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  // Everything below is guarded by lock. Sealed batches are never modified again, so the writer
  // reads the head batch outside the lock while offer() fills another one.
  private final ArrayDeque<PointBatch> sealed = new ArrayDeque<>();
  private final ArrayDeque<PointBatch> spares = new ArrayDeque<>();
  private PointBatch filling;
  private long fillingSince;
  private long buffered;
  private long dropped;
  private long written;
  private int failures;
  private long retryAt;
  private String lastError;
  private boolean dropping;
  private boolean closed;

  /** Futures of {@link #settled()}, by ascending target. */
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  /** Completes {@code done} once {@code written + dropped} reaches {@code target}. */
  private record Waiter(long target, CompletableFuture<Void> done) {}

  public TelemetryWriter(
      TelemetryStore store, SeriesRegistry registry, WriterConfig config, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.config = config;
    this.clock = clock;
    this.filling = new PointBatch(config.batchPoints());
    this.thread = Thread.ofPlatform().name("telemetry-writer").daemon().unstarted(this::run);
  }

  /** Starts the writing thread. Call once. */
  public void start() {
    thread.start();
  }

  /**
   * Takes a copy of the batch's points; never waits for the store. Thread-safe; the caller keeps
   * the batch. Points that do not fit in the buffer, or arrive after {@link #close}, are dropped
   * and counted.
   */
  public void offer(PointBatch batch) {
    int size = batch.size();
    if (size == 0) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        dropped += size;
        return;
      }
      long now = clock.millis();
      int taken = 0;
      for (; taken < size && buffered < config.bufferPoints(); taken++) {
        if (filling.isEmpty()) {
          fillingSince = now;
        }
        filling.add(batch.seriesId(taken), batch.timestamp(taken), batch.value(taken));
        buffered++;
        if (filling.size() >= config.batchPoints()) {
          seal();
        }
      }
      if (taken < size) {
        dropped += size - taken;
        if (!dropping) {
          dropping = true;
          log.error(
              "telemetry buffer full ({} points held, store failing: {}); dropping new points until"
                  + " it drains",
              buffered,
              lastError);
        }
      }
      if (!sealed.isEmpty()) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Completes once every point offered before the call has left the buffer: written to the store,
   * or — beyond the buffer's bound in an outage, or still unwritable at {@link #close} — dropped
   * and counted. Thread-safe. A Kafka consumer commits offsets only after this (see {@code
   * TelemetryBus#consumed}).
   */
  public CompletableFuture<Void> settled() {
    lock.lock();
    try {
      if (buffered == 0) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiters.addLast(new Waiter(written + dropped + buffered, done));
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** Removes the waiters whose points have all left the buffer; called under the lock. */
  private List<CompletableFuture<Void>> settledWaiters() {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    while (!waiters.isEmpty() && waiters.peekFirst().target() <= written + dropped) {
      done.add(waiters.removeFirst().done());
    }
    return done;
  }

  /**
   * Whether {@code points} more would fit in the buffer now, or the store is failing (then the
   * buffer is meant to fill and shed: an outage must not stop ingest). Lets an edge apply
   * back-pressure while the store is merely slower than ingest. {@code inFlight} are the points the
   * edge has taken but not yet offered (on the bus): they count as if already buffered.
   * Thread-safe.
   */
  public boolean hasRoomOrIsFailing(long points, long inFlight) {
    lock.lock();
    try {
      long held = buffered + inFlight;
      // Nothing held takes anything: a batch larger than the bound must not be refused forever.
      // Points in flight count here too, or an empty writer let every edge in at once.
      return failures > 0 || held == 0 || held + points <= config.bufferPoints();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes what is due now: seals the filling batch when it has aged past the flush interval, then
   * writes waiting batches in order until none is left or one fails (a failure schedules the
   * retry). Does nothing while a retry's backoff runs. Called by the writer's thread; tests call it
   * directly on an unstarted writer.
   *
   * @return the number of points written
   */
  public long writeDue() {
    return writeDue(false);
  }

  private long writeDue(boolean closing) {
    long total = 0;
    while (true) {
      PointBatch batch;
      lock.lock();
      try {
        long now = clock.millis();
        if (!filling.isEmpty()
            && (closing || now - fillingSince >= config.flushInterval().toMillis())) {
          seal();
        }
        if (sealed.isEmpty() || (!closing && now < retryAt)) {
          return total;
        }
        batch = sealed.peekFirst();
      } finally {
        lock.unlock();
      }
      int size = batch.size(); // read before write() recycles the batch
      if (!write(batch)) {
        return total;
      }
      total += size;
    }
  }

  private boolean write(PointBatch batch) {
    List<CompletableFuture<Void>> settled;
    try {
      store.append(batch, registry);
    } catch (RuntimeException e) {
      lock.lock();
      try {
        failures++;
        lastError = String.valueOf(e.getMessage());
        long backoff = backoffMillis(failures);
        retryAt = clock.millis() + backoff;
        if (failures == 1 || Integer.bitCount(failures) == 1) {
          // Logged on failures 1, 2, 4, 8 …: visible without flooding the log during an outage.
          log.warn(
              "telemetry store write failed ({} in a row, {} points buffered); retrying in {} ms",
              failures,
              buffered,
              backoff,
              e);
        }
      } finally {
        lock.unlock();
      }
      return false;
    }
    lock.lock();
    try {
      sealed.removeFirst();
      buffered -= batch.size();
      written += batch.size();
      if (failures > 0) {
        log.info("telemetry store writes recovered after {} failures", failures);
      }
      failures = 0;
      retryAt = 0;
      dropping = false;
      if (spares.size() < SPARE_BATCHES) {
        batch.clear();
        spares.push(batch);
      }
      settled = settledWaiters();
    } finally {
      lock.unlock();
    }
    settled.forEach(done -> done.complete(null));
    return true;
  }

  /** Initial backoff doubled per failure after the first, capped at the maximum. */
  private long backoffMillis(int failureCount) {
    long initial = config.initialBackoff().toMillis();
    long max = config.maxBackoff().toMillis();
    int doublings = Math.min(failureCount - 1, 30);
    return Math.min(max, initial << doublings);
  }

  private void seal() {
    sealed.addLast(filling);
    filling = spares.isEmpty() ? new PointBatch(config.batchPoints()) : spares.pop();
  }

  public WriterHealth health() {
    lock.lock();
    try {
      return new WriterHealth(
          failures > 0 ? WriterStatus.DEGRADED : WriterStatus.UP,
          buffered,
          dropped,
          written,
          failures,
          lastError);
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
      } finally {
        lock.unlock();
      }
      writeDue();
      lock.lock();
      try {
        long waitMillis = millisUntilDue();
        if (!closed && waitMillis > 0) {
          work.await(waitMillis, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** How long the thread may sleep before something is due; called under the lock. */
  private long millisUntilDue() {
    long now = clock.millis();
    if (failures > 0) {
      return Math.max(0, retryAt - now);
    }
    if (!sealed.isEmpty()) {
      return 0;
    }
    if (!filling.isEmpty()) {
      return Math.max(0, fillingSince + config.flushInterval().toMillis() - now);
    }
    return config.flushInterval().toMillis();
  }

  /**
   * Stops accepting points, stops the thread and makes one last attempt to write everything held,
   * ignoring the backoff. Points that still cannot be written are counted as dropped and logged.
   * Idempotent. Does not close the store.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writeDue(true);
    List<CompletableFuture<Void>> settled;
    lock.lock();
    try {
      if (buffered > 0) {
        log.error(
            "telemetry writer closed with {} points it could not write ({}); they are dropped",
            buffered,
            lastError);
        dropped += buffered;
        buffered = 0;
        sealed.clear();
        filling.clear();
      }
      settled = settledWaiters();
    } finally {
      lock.unlock();
    }
    settled.forEach(done -> done.complete(null));
  }
}
