package dev.sentinel.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The latest value and time of every series, by series id: what verification reads to tell whether
 * a series is back in its range, independent of how the detectors have adapted since.
 *
 * <p>One writer per series (the partition that owns it), any number of readers. Writes are opaque
 * stores into flat arrays: no lock, no allocation on the hot path. Growing the arrays takes a lock
 * and is rare (ids are dense).
 */
public final class LatestValues {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private volatile long[] values = new long[1024];
  private volatile long[] times = new long[1024];

  public void record(int seriesId, long timestampMillis, double value) {
    long[] currentTimes = times;
    if (seriesId >= currentTimes.length) {
      grow(seriesId);
      currentTimes = times;
    }
    LONGS.setOpaque(values, seriesId, Double.doubleToRawLongBits(value));
    LONGS.setOpaque(currentTimes, seriesId, timestampMillis);
  }

  public void record(PointBatch batch) {
    for (int i = 0, size = batch.size(); i < size; i++) {
      record(batch.seriesId(i), batch.timestamp(i), batch.value(i));
    }
  }

  private synchronized void grow(int seriesId) {
    if (seriesId < times.length) {
      return;
    }
    // Half as much again, not double: at a million series, doubling can leave 8 MB unused.
    int capacity = Math.max(times.length + times.length / 2, seriesId + 1);
    values = Arrays.copyOf(values, capacity);
    times = Arrays.copyOf(times, capacity);
  }

  /** The latest value of a series, or NaN when it has none. */
  public double value(int seriesId) {
    long[] currentTimes = times;
    if (seriesId < 0
        || seriesId >= currentTimes.length
        || (long) LONGS.getOpaque(currentTimes, seriesId) == 0) {
      return Double.NaN;
    }
    return Double.longBitsToDouble((long) LONGS.getOpaque(values, seriesId));
  }

  /** When the latest value was taken, epoch milliseconds, or 0 when there is none. */
  public long time(int seriesId) {
    long[] currentTimes = times;
    return seriesId < 0 || seriesId >= currentTimes.length
        ? 0
        : (long) LONGS.getOpaque(currentTimes, seriesId);
  }
}
