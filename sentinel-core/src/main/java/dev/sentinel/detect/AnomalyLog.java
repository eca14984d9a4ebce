package dev.sentinel.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The most recent anomalies, newest last, in a fixed-size ring: what the API lists and the console
 * shows. Older anomalies fall out once the ring is full (incidents keep their own).
 *
 * <p>Thread-safe: partitions append concurrently, readers copy under the same lock. Appends are
 * rare next to points (only anomalous points), so one lock is cheap enough.
 */
public final class AnomalyLog implements AnomalySink {

  private final Anomaly[] ring;
  private long appended;

  public AnomalyLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    ring = new Anomaly[capacity];
  }

  @Override
  public synchronized void accept(Anomaly anomaly) {
    ring[(int) (appended % ring.length)] = anomaly;
    appended++;
  }

  /**
   * Anomalies at or after {@code sinceMillis} that match the filter, oldest first, at most {@code
   * limit} of them (the newest ones when there are more).
   */
  public List<Anomaly> recent(long sinceMillis, Predicate<Anomaly> filter, int limit) {
    List<Anomaly> newestFirst = new ArrayList<>();
    synchronized (this) {
      long oldest = Math.max(0, appended - ring.length);
      for (long i = appended - 1; i >= oldest && newestFirst.size() < limit; i--) {
        Anomaly anomaly = ring[(int) (i % ring.length)];
        if (anomaly.timestampMillis() >= sinceMillis && filter.test(anomaly)) {
          newestFirst.add(anomaly);
        }
      }
    }
    return newestFirst.reversed();
  }

  /** All anomalies ever appended, including those that fell out of the ring. */
  public synchronized long total() {
    return appended;
  }
}
