package dev.sentinel.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TelemetryStore} adapter must have. An adapter's test extends this and
 * opens its store on storage that is empty when each test starts, and that a second {@link #open()}
 * (after a close) finds again.
 */
public abstract class TelemetryStoreContract {

  /** Monday 2 March 2026, 00:00 UTC. */
  protected static final long MONDAY = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private static final SeriesKey LATENCY =
      SeriesKey.of("latency_p99_ms", Map.of("service", "api", "region", "eu-west-1"));
  private static final SeriesKey ERRORS = SeriesKey.of("errors_total", Map.of("service", "api"));

  private final SeriesRegistry registry = new SeriesRegistry();
  private TelemetryStore store;

  /**
   * Opens the adapter's store on this test's storage. Called once at the first use in a test and
   * again after {@link TelemetryStore#close()} when a test reopens it.
   */
  protected abstract TelemetryStore open();

  private TelemetryStore store() {
    if (store == null) {
      store = open();
    }
    return store;
  }

  private TelemetryStore reopen() {
    store.close();
    store = open();
    return store;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void append(SeriesKey series, long[] timestamps, double[] values) {
    PointBatch batch = new PointBatch(Math.max(1, timestamps.length));
    int id = registry.intern(series);
    for (int i = 0; i < timestamps.length; i++) {
      batch.add(id, timestamps[i], values[i]);
    }
    store().append(batch, registry);
  }

  /** Points every {@code every} ms from {@code start}, valued 0, 1, 2 … */
  private void appendRamp(SeriesKey series, long start, long every, int count) {
    long[] timestamps = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = start + i * every;
      values[i] = i;
    }
    append(series, timestamps, values);
  }

  private void appendOne(SeriesKey series, long timestamp, double value) {
    append(series, new long[] {timestamp}, new double[] {value});
  }

  @Test
  void appended_points_come_back_in_order_within_the_range() {
    appendRamp(LATENCY, MONDAY, 10 * SECOND, 360);
    appendRamp(ERRORS, MONDAY, 10 * SECOND, 360);
    appendOne(LATENCY, MONDAY + 200 * SECOND, 0.5);

    List<StoredPoint> points =
        store().points(LATENCY, TimeRange.of(MONDAY + 100 * SECOND, MONDAY + 200 * SECOND), 100);

    assertThat(points).hasSize(10);
    assertThat(points.getFirst()).isEqualTo(new StoredPoint(MONDAY + 100 * SECOND, 10));
    assertThat(points.getLast()).isEqualTo(new StoredPoint(MONDAY + 190 * SECOND, 19));
    assertThat(points).extracting(StoredPoint::timestampMillis).isSorted();
  }

  @Test
  void a_limit_keeps_the_oldest_points() {
    appendRamp(LATENCY, MONDAY, SECOND, 100);

    List<StoredPoint> points = store().points(LATENCY, TimeRange.of(MONDAY, MONDAY + HOUR), 5);

    assertThat(points).extracting(StoredPoint::value).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
  }

  @Test
  void aggregates_count_mean_min_and_max_per_step() {
    // Six points a minute valued 0..359: minute k holds 6k .. 6k+5.
    appendRamp(LATENCY, MONDAY, 10 * SECOND, 360);

    List<Bucket> minutes =
        store().aggregate(LATENCY, TimeRange.of(MONDAY, MONDAY + HOUR), Duration.ofMinutes(1));
    assertThat(minutes).hasSize(60);
    assertThat(minutes.get(7)).isEqualTo(new Bucket(MONDAY + 7 * MINUTE, 6, 44.5, 42, 47));
    assertThat(minutes).extracting(Bucket::startMillis).isSorted();

    List<Bucket> fiveMinutes =
        store().aggregate(LATENCY, TimeRange.of(MONDAY, MONDAY + HOUR), Duration.ofMinutes(5));
    assertThat(fiveMinutes).hasSize(12).allSatisfy(b -> assertThat(b.count()).isEqualTo(30));

    // Only points inside the range count: the edge buckets are partial.
    List<Bucket> partial =
        store()
            .aggregate(
                LATENCY,
                TimeRange.of(MONDAY + 30 * SECOND, MONDAY + 90 * SECOND),
                Duration.ofMinutes(1));
    assertThat(partial)
        .containsExactly(new Bucket(MONDAY, 3, 4, 3, 5), new Bucket(MONDAY + MINUTE, 3, 7, 6, 8));
  }

  @Test
  void moving_average_reaches_back_before_the_range() {
    // One point a minute valued by its minute.
    appendRamp(LATENCY, MONDAY, MINUTE, 10);

    List<StoredPoint> averages =
        store()
            .movingAverage(
                LATENCY,
                TimeRange.of(MONDAY + 5 * MINUTE, MONDAY + 10 * MINUTE),
                Duration.ofMinutes(1),
                Duration.ofMinutes(3));

    assertThat(averages)
        .extracting(StoredPoint::timestampMillis)
        .containsExactly(
            MONDAY + 5 * MINUTE,
            MONDAY + 6 * MINUTE,
            MONDAY + 7 * MINUTE,
            MONDAY + 8 * MINUTE,
            MONDAY + 9 * MINUTE);
    assertThat(averages).extracting(StoredPoint::value).containsExactly(4.0, 5.0, 6.0, 7.0, 8.0);
  }

  @Test
  void baseline_takes_the_same_weekday_and_time_of_day() {
    long at = MONDAY + 28 * DAY + 12 * HOUR;
    long[] offsets = {-25 * MINUTE, -10 * MINUTE, 0, 10 * MINUTE, 25 * MINUTE};
    for (int week = 1; week <= 4; week++) {
      long centre = at - week * 7 * DAY;
      for (int j = 0; j < offsets.length; j++) {
        appendOne(LATENCY, centre + offsets[j], 10 * week + j);
      }
      appendOne(LATENCY, centre - 45 * MINUTE, 1000); // outside ± 30 min
      appendOne(LATENCY, centre + 30 * MINUTE, 1000); // the window is half-open
      appendOne(LATENCY, centre + DAY, 500); // Tuesday, same time
    }
    appendOne(LATENCY, at, 999); // now is not history
    appendOne(LATENCY, at - 5 * 7 * DAY, 2000); // older than the lookback

    Baseline weekly = store().baseline(LATENCY, BaselineQuery.weekly(at, 4)).orElseThrow();

    // Values 10..14, 20..24, 30..34, 40..44.
    assertThat(weekly.count()).isEqualTo(20);
    assertThat(weekly.mean()).isCloseTo(27.0, within(1e-9));
    assertThat(weekly.p50()).isBetween(24.0, 30.0);
    assertThat(weekly.p95()).isBetween(43.0, 44.0);
    assertThat(weekly.p99()).isBetween(43.0, 44.0);

    Baseline daily = store().baseline(LATENCY, BaselineQuery.daily(at, 28)).orElseThrow();
    assertThat(daily.count()).isEqualTo(24);
    assertThat(daily.p99()).isEqualTo(500.0);

    BaselineQuery wide = new BaselineQuery(at, 28, Duration.ofMinutes(50), Seasonality.WEEKLY);
    assertThat(store().baseline(LATENCY, wide).orElseThrow().count()).isEqualTo(28);
  }

  @Test
  void percentiles_are_nearest_rank_values() {
    // 1..1000 in shuffled time order.
    List<Integer> values = new ArrayList<>();
    for (int v = 1; v <= 1000; v++) {
      values.add(v);
    }
    java.util.Collections.shuffle(values, new Random(7));
    long[] timestamps = new long[1000];
    double[] doubles = new double[1000];
    for (int i = 0; i < 1000; i++) {
      timestamps[i] = MONDAY + i * SECOND;
      doubles[i] = values.get(i);
    }
    append(LATENCY, timestamps, doubles);

    Percentiles all =
        store().percentiles(LATENCY, TimeRange.of(MONDAY, MONDAY + DAY)).orElseThrow();

    assertThat(all.count()).isEqualTo(1000);
    assertThat(all.mean()).isCloseTo(500.5, within(1e-9));
    assertThat(all.min()).isEqualTo(1.0);
    assertThat(all.max()).isEqualTo(1000.0);
    assertThat(all.p50()).isBetween(499.0, 501.0);
    assertThat(all.p90()).isBetween(899.0, 901.0);
    assertThat(all.p95()).isBetween(949.0, 951.0);
    assertThat(all.p99()).isBetween(989.0, 991.0);

    Percentiles first =
        store().percentiles(LATENCY, TimeRange.of(MONDAY, MONDAY + 10 * SECOND)).orElseThrow();
    assertThat(first.count()).isEqualTo(10);
  }

  @Test
  void trend_follows_a_ramp() {
    // Up 2 per hour from 5, one point a minute for six hours; down 3 per hour on the other.
    long[] timestamps = new long[360];
    double[] rising = new double[360];
    double[] falling = new double[360];
    for (int i = 0; i < 360; i++) {
      timestamps[i] = MONDAY + i * MINUTE;
      rising[i] = 5 + 2.0 * i / 60;
      falling[i] = 100 - 3.0 * i / 60 + (i % 2 == 0 ? 0.5 : -0.5);
    }
    append(LATENCY, timestamps, rising);
    append(ERRORS, timestamps, falling);
    TimeRange range = TimeRange.of(MONDAY, MONDAY + 6 * HOUR);

    Trend up = store().trend(LATENCY, range).orElseThrow();
    Trend down = store().trend(ERRORS, range).orElseThrow();

    assertThat(up.count()).isEqualTo(360);
    assertThat(up.slopePerHour()).isCloseTo(2.0, within(1e-6));
    assertThat(up.interceptAtStart()).isCloseTo(5.0, within(1e-6));
    assertThat(down.slopePerHour()).isNegative().isCloseTo(-3.0, within(0.01));
    assertThat(store().trend(LATENCY, TimeRange.of(MONDAY, MONDAY + 1))).isEmpty();
  }

  @Test
  void retention_removes_old_points_only() {
    // Three days, a point every hour, on two series; the cutoff is in the middle of day two.
    appendRamp(LATENCY, MONDAY, HOUR, 72);
    appendRamp(ERRORS, MONDAY, HOUR, 72);
    long cutoff = MONDAY + DAY + 12 * HOUR;
    appendOne(LATENCY, cutoff - 1, -1);
    appendOne(LATENCY, cutoff + 1, -2);
    TimeRange everything = TimeRange.of(0, MONDAY + 10 * DAY);

    store().deleteBefore(cutoff);
    store().deleteBefore(cutoff); // idempotent

    List<StoredPoint> kept = store().points(LATENCY, everything, 1000);
    assertThat(kept).hasSize(72 - 36 + 1);
    assertThat(kept.getFirst()).isEqualTo(new StoredPoint(cutoff, 36)); // at the cutoff: kept
    assertThat(kept)
        .allSatisfy(p -> assertThat(p.timestampMillis()).isGreaterThanOrEqualTo(cutoff));
    assertThat(store().points(ERRORS, everything, 1000)).hasSize(36);
    assertThat(store().series()).contains(LATENCY, ERRORS);
  }

  @Test
  void points_and_series_survive_a_reopen() {
    appendRamp(LATENCY, MONDAY, MINUTE, 30);

    TelemetryStore reopened = reopen();

    assertThat(reopened.series()).containsExactly(LATENCY);
    assertThat(reopened.points(LATENCY, TimeRange.of(MONDAY, MONDAY + HOUR), 100)).hasSize(30);
    // Appending after a reopen, with a registry that numbers series differently, still lands on
    // the same series.
    SeriesRegistry fresh = new SeriesRegistry();
    fresh.intern(ERRORS);
    PointBatch batch = new PointBatch(1);
    batch.add(fresh.intern(LATENCY), MONDAY + 30 * MINUTE, 30);
    reopened.append(batch, fresh);
    assertThat(reopened.points(LATENCY, TimeRange.of(MONDAY, MONDAY + HOUR), 100)).hasSize(31);
  }

  @Test
  void labels_round_trip() {
    SeriesKey awkward =
        SeriesKey.of(
            "http_requests",
            Map.of(
                "path", "/a,b=\"c\"\\d",
                "note", "line one\nline two\ttab",
                "city", "Zürich ☃",
                "empty", ""));
    SeriesKey bare = SeriesKey.of("up");
    appendOne(awkward, MONDAY, 1);
    appendOne(bare, MONDAY, 2);
    appendOne(awkward, MONDAY + 1, 3);

    assertThat(store().series()).containsExactlyInAnyOrder(awkward, bare);
    assertThat(reopen().series()).containsExactlyInAnyOrder(awkward, bare);
    SeriesKey sameLabelsBuiltAgain = SeriesKey.of("http_requests", Map.copyOf(awkward.labels()));
    assertThat(store().points(sameLabelsBuiltAgain, TimeRange.of(MONDAY, MONDAY + 2), 10))
        .extracting(StoredPoint::value)
        .containsExactly(1.0, 3.0);
  }

  @Test
  void unknown_series_and_empty_ranges_give_empty_results() {
    TimeRange day = TimeRange.of(MONDAY, MONDAY + DAY);
    assertThat(store().series()).isEmpty();
    assertThat(store().points(LATENCY, day, 10)).isEmpty();

    appendRamp(ERRORS, MONDAY, MINUTE, 10);
    TimeRange later = TimeRange.of(MONDAY + DAY, MONDAY + 2 * DAY);
    assertThat(store().points(LATENCY, day, 10)).isEmpty();
    assertThat(store().points(ERRORS, later, 10)).isEmpty();
    assertThat(store().points(ERRORS, TimeRange.of(MONDAY, MONDAY), 10)).isEmpty();
    assertThat(store().aggregate(LATENCY, day, Duration.ofMinutes(1))).isEmpty();
    assertThat(store().aggregate(ERRORS, later, Duration.ofMinutes(1))).isEmpty();
    assertThat(store().percentiles(LATENCY, day)).isEmpty();
    assertThat(store().percentiles(ERRORS, later)).isEmpty();
    assertThat(store().trend(ERRORS, later)).isEmpty();
    assertThat(store().baseline(ERRORS, BaselineQuery.weekly(MONDAY + 7 * DAY + 12 * HOUR, 1)))
        .isEmpty();
    assertThat(store().movingAverage(LATENCY, day, Duration.ofMinutes(1), Duration.ofMinutes(5)))
        .isEmpty();
    store().deleteBefore(MONDAY - DAY); // nothing to delete is fine
    store().append(new PointBatch(1), registry); // nor is nothing to append
    assertThat(store().points(ERRORS, day, 100)).hasSize(10);
  }

  @Test
  void a_batch_of_100k_points_is_stored_whole() {
    SeriesKey[] hosts = new SeriesKey[10];
    int[] ids = new int[10];
    for (int h = 0; h < hosts.length; h++) {
      hosts[h] = SeriesKey.of("cpu", Map.of("host", "host-" + h));
      ids[h] = registry.intern(hosts[h]);
    }
    PointBatch batch = new PointBatch(100_000);
    for (int i = 0; i < 100_000; i++) {
      batch.add(ids[i % 10], MONDAY + (i / 10) * SECOND, i % 97);
    }

    store().append(batch, registry);

    TimeRange range = TimeRange.of(MONDAY, MONDAY + DAY);
    long total = 0;
    for (SeriesKey host : hosts) {
      total += store().percentiles(host, range).orElseThrow().count();
    }
    assertThat(total).isEqualTo(100_000);
    assertThat(store().series()).hasSize(10);
    assertThat(store().aggregate(hosts[3], range, Duration.ofHours(1)))
        .extracting(Bucket::count)
        .containsExactly(3600L, 3600L, 2800L);
    assertThat(store().points(hosts[0], range, 5000)).hasSize(5000);
  }
}
