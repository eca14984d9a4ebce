package dev.sentinel.ingest;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A columnar batch of points: parallel arrays of series ids, timestamps and values. Columnar so
 * that the hot path reads primitives in order and allocates nothing per point.
 *
 * <p>Not thread-safe. A batch is filled by one thread, then handed over (through a queue, which
 * publishes it safely) to exactly one consumer, and not touched by the producer afterwards.
 */
public final class PointBatch {

  private int[] seriesIds;
  private long[] timestamps;
  private double[] values;
  private int size;

  public PointBatch(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    seriesIds = new int[capacity];
    timestamps = new long[capacity];
    values = new double[capacity];
  }

  public void add(int seriesId, long timestampMillis, double value) {
    if (size == seriesIds.length) {
      int grown = seriesIds.length * 2;
      seriesIds = Arrays.copyOf(seriesIds, grown);
      timestamps = Arrays.copyOf(timestamps, grown);
      values = Arrays.copyOf(values, grown);
    }
    seriesIds[size] = seriesId;
    timestamps[size] = timestampMillis;
    values[size] = value;
    size++;
  }

  /**
   * The batch {@code build} gives, checked to hold the {@code points} points room was taken for
   * (see {@link TelemetryBus#tryPublish(int, Supplier)}).
   */
  public static PointBatch built(Supplier<PointBatch> build, int points) {
    PointBatch batch = build.get();
    if (batch.size() != points) {
      throw new IllegalStateException(
          "a batch built for " + points + " points holds " + batch.size());
    }
    return batch;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int seriesId(int index) {
    return seriesIds[index];
  }

  public long timestamp(int index) {
    return timestamps[index];
  }

  public double value(int index) {
    return values[index];
  }

  public void clear() {
    size = 0;
  }
}
