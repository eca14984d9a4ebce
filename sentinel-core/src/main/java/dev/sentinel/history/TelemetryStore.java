package dev.sentinel.history;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where every point is kept, for baselines, detector warm-up and analysis: the embedded DuckDB file
 * or ClickHouse. A store persists each series' name and labels with its points, so that after a
 * restart (when the in-memory {@link SeriesRegistry} ids are gone) it is still queried by {@link
 * SeriesKey}.
 *
 * <p>Threading: every method is thread-safe; one writer (the {@link TelemetryWriter}) appends while
 * any number of readers query. Reads see every batch whose {@link #append} has returned.
 *
 * <p>Errors: every method throws {@link TelemetryStoreException} when the database cannot do what
 * was asked; invalid arguments are {@link IllegalArgumentException}s raised before any I/O.
 *
 * <p>Time: timestamps are epoch milliseconds (UTC); ranges are half-open {@code [from, to)}.
 */
public interface TelemetryStore extends AutoCloseable {

  /**
   * Writes a batch: every point with the series its id stands for in {@code registry}, registering
   * series the store has not seen yet. Blocks the calling thread for the write (this is what the
   * {@link TelemetryWriter} keeps off the hot path).
   *
   * <p>Not idempotent: appending the same batch twice stores its points twice (a store keeps
   * duplicates rather than pay for de-duplication on every write). All or nothing is not promised
   * either: after an exception, part of the batch may be stored, and a retry may duplicate that
   * part. The caller keeps ownership of the batch, which the store does not retain or modify.
   *
   * @throws IllegalArgumentException when an id is unknown to the registry
   */
  void append(PointBatch points, SeriesRegistry registry);

  /**
   * The stored points of a series in a range, oldest first, at most {@code limit} of them (the
   * oldest ones when there are more). Read-only; an unknown series yields an empty list.
   */
  List<StoredPoint> points(SeriesKey series, TimeRange range, int limit);

  /**
   * Count, mean, minimum and maximum per bucket of {@code step}, for the buckets in the range that
   * hold at least one point, oldest first. Buckets are aligned to the epoch (see {@link Bucket});
   * only points inside the range count, so the first and last bucket may be partial. Read-only.
   *
   * @throws IllegalArgumentException when the step is under one second or the range spans more than
   *     {@link TimeRange#MAX_BUCKETS} steps
   */
  List<Bucket> aggregate(SeriesKey series, TimeRange range, Duration step);

  /**
   * The usual values of a series at {@code query.atMillis()}'s time of day (see {@link
   * BaselineQuery} for the windows). Empty when no point falls in any window. Read-only.
   */
  Optional<Baseline> baseline(SeriesKey series, BaselineQuery query);

  /** The distribution of a series' values in a range; empty when it has none. Read-only. */
  Optional<Percentiles> percentiles(SeriesKey series, TimeRange range);

  /**
   * The least-squares trend of a series in a range (slope per hour); empty with fewer than two
   * points or when all points share one timestamp. Read-only.
   */
  Optional<Trend> trend(SeriesKey series, TimeRange range);

  /**
   * A trailing moving average: for every bucket of {@code step} in the range that holds points, the
   * mean of all points in the {@code window} that ends with that bucket (the bucket and the ones
   * before it, reaching back before the range's start when the window does). Each point weighs the
   * same, however the points spread over the buckets. Read-only.
   *
   * <p>Computed from {@link #aggregate} rather than in SQL because ClickHouse 18.16, which must be
   * supported, has no window functions; one definition then serves every store.
   *
   * @return one point per bucket, at the bucket's start, oldest first
   * @throws IllegalArgumentException when the window is not a positive multiple of the step
   */
  default List<StoredPoint> movingAverage(
      SeriesKey series, TimeRange range, Duration step, Duration window) {
    long stepMillis = range.bucketMillis(step);
    long windowMillis = window.toMillis();
    if (windowMillis < stepMillis || windowMillis % stepMillis != 0) {
      throw new IllegalArgumentException(
          "window (" + window + ") must be a positive multiple of step (" + step + ")");
    }
    long firstBucket = Math.floorDiv(range.fromMillis(), stepMillis) * stepMillis;
    long reachBack = Math.max(0, firstBucket - windowMillis + stepMillis);
    List<Bucket> buckets = aggregate(series, new TimeRange(reachBack, range.toMillis()), step);
    List<StoredPoint> averages = new ArrayList<>();
    double sum = 0;
    long count = 0;
    int oldest = 0;
    for (Bucket bucket : buckets) {
      sum += bucket.sum();
      count += bucket.count();
      while (buckets.get(oldest).startMillis() <= bucket.startMillis() - windowMillis) {
        sum -= buckets.get(oldest).sum();
        count -= buckets.get(oldest).count();
        oldest++;
      }
      if (bucket.startMillis() >= firstBucket) {
        averages.add(new StoredPoint(bucket.startMillis(), sum / count));
      }
    }
    return List.copyOf(averages);
  }

  /**
   * Retention: deletes every point older than {@code cutoffMillis} of every series; points at or
   * after it stay. Idempotent, and safe to run while appends go on (points appended with old
   * timestamps during the call may survive it). Series stay registered: a series row costs little
   * and a late point may still arrive. May take a while on large stores; call it from a maintenance
   * thread, never from the writer.
   */
  void deleteBefore(long cutoffMillis);

  /** Every series the store holds, with its name and labels, in no particular order. Read-only. */
  List<SeriesKey> series();

  /**
   * Releases connections and files. Appends that have returned are durable. Idempotent; after it
   * every other method throws.
   */
  @Override
  void close();
}
