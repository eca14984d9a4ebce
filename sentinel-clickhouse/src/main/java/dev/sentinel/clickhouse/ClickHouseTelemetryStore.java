package dev.sentinel.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.history.Baseline;
import dev.sentinel.history.BaselineQuery;
import dev.sentinel.history.BatchSeries;
import dev.sentinel.history.Bucket;
import dev.sentinel.history.Percentiles;
import dev.sentinel.history.SeriesFingerprint;
import dev.sentinel.history.StoredPoint;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TelemetryStoreException;
import dev.sentinel.history.TimeRange;
import dev.sentinel.history.Trend;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The scale-out telemetry store, on ClickHouse's HTTP interface (see {@link ClickHouseHttp}).
 * Written for the oldest server it must support, 18.16: epoch-millisecond {@code UInt64} timestamps
 * (no {@code DateTime64}), no {@code TTL}, {@code Map} or window functions.
 *
 * <p>Tables: {@code points(series_id, ts, value)}, a MergeTree partitioned by UTC day ({@code
 * intDiv(ts, 86400000)}) and ordered by {@code (series_id, ts)}, so a series' range is one
 * contiguous read; {@code series(id, name, text, label_names, label_values)}, a ReplacingMergeTree
 * by id, where a series registered again (by another instance, or after a restart) collapses into
 * one row. Ids are {@link SeriesFingerprint}s, so no instance asks another for one.
 *
 * <p>Thread-safe: every call is one or a few independent HTTP requests.
 */
public final class ClickHouseTelemetryStore implements TelemetryStore {

  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final long DAY_MILLIS = 86_400_000L;
  private static final int ROW_BYTES = 24;
  private static final Duration MUTATION_TIMEOUT = Duration.ofMinutes(5);

  private final ClickHouseHttp http;
  private final String database;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<Long> knownSeries = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ClickHouseTelemetryStore(ClickHouseHttp http, String database) {
    this.http = http;
    this.database = database;
  }

  /**
   * Connects to the server at {@code url} ({@code telemetry.clickhouse.url}), creating the database
   * ({@code telemetry.clickhouse.database}) and its tables when they are missing.
   */
  public static ClickHouseTelemetryStore open(URI url, String database) {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "telemetry.clickhouse.database must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), was '"
              + database
              + "'");
    }
    ClickHouseHttp http = new ClickHouseHttp(url, database);
    try {
      http.executeOnServer("CREATE DATABASE IF NOT EXISTS " + database);
      http.execute(
          "CREATE TABLE IF NOT EXISTS points (series_id UInt64, ts UInt64, value Float64)"
              + " ENGINE = MergeTree() PARTITION BY intDiv(ts, 86400000) ORDER BY (series_id, ts)");
      http.execute(
          "CREATE TABLE IF NOT EXISTS series (id UInt64, name String, text String, label_names"
              + " Array(String), label_values Array(String)) ENGINE = ReplacingMergeTree() ORDER BY"
              + " id");
      ClickHouseTelemetryStore store = new ClickHouseTelemetryStore(http, database);
      for (String[] row : http.rows("SELECT DISTINCT id FROM series")) {
        store.knownSeries.add(Long.parseLong(row[0]));
      }
      return store;
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
  }

  @Override
  public void append(PointBatch points, SeriesRegistry registry) {
    ensureOpen();
    if (points.isEmpty()) {
      return;
    }
    BatchSeries series = BatchSeries.of(points, registry);
    register(series);
    // RowBinary: fixed 24 bytes a row, no text formatting or parsing on either side; the fastest
    // insert format 18.16 accepts (see docs/telemetry-store.md for the measurements).
    ByteBuffer rows = ByteBuffer.allocate(points.size() * ROW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < points.size(); i++) {
      rows.putLong(series.fingerprint(i)).putLong(points.timestamp(i)).putDouble(points.value(i));
    }
    http.insert("INSERT INTO points FORMAT RowBinary", rows.array());
  }

  private void register(BatchSeries series) {
    StringBuilder rows = new StringBuilder();
    List<Long> added = new ArrayList<>();
    for (int s = 0; s < series.distinctCount(); s++) {
      long id = series.fingerprintOf(s);
      if (knownSeries.contains(id)) {
        continue;
      }
      SeriesKey key = series.key(s);
      ObjectNode row = json.createObjectNode().put("id", id).put("name", key.name());
      row.put("text", key.text());
      ArrayNode names = row.putArray("label_names");
      ArrayNode values = row.putArray("label_values");
      key.labels()
          .forEach(
              (name, value) -> {
                names.add(name);
                values.add(value);
              });
      rows.append(row).append('\n');
      added.add(id);
    }
    if (!added.isEmpty()) {
      http.insert(
          "INSERT INTO series FORMAT JSONEachRow",
          rows.toString().getBytes(StandardCharsets.UTF_8));
      knownSeries.addAll(added);
    }
  }

  private String inRange(SeriesKey series, TimeRange range) {
    return "series_id = "
        + SeriesFingerprint.of(series)
        + " AND ts >= "
        + range.fromMillis()
        + " AND ts < "
        + range.toMillis();
  }

  @Override
  public List<StoredPoint> points(SeriesKey series, TimeRange range, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    ensureOpen();
    List<StoredPoint> points = new ArrayList<>();
    for (String[] row :
        http.rows(
            "SELECT ts, value FROM points WHERE "
                + inRange(series, range)
                + " ORDER BY ts LIMIT "
                + limit)) {
      points.add(new StoredPoint(Long.parseLong(row[0]), number(row[1])));
    }
    return List.copyOf(points);
  }

  @Override
  public List<Bucket> aggregate(SeriesKey series, TimeRange range, Duration step) {
    long stepMillis = range.bucketMillis(step);
    ensureOpen();
    List<Bucket> buckets = new ArrayList<>();
    for (String[] row :
        http.rows(
            "SELECT intDiv(ts, "
                + stepMillis
                + ") * "
                + stepMillis
                + " AS bucket, count(), avg(value), min(value), max(value) FROM points WHERE "
                + inRange(series, range)
                + " GROUP BY bucket ORDER BY bucket")) {
      buckets.add(
          new Bucket(
              Long.parseLong(row[0]),
              Long.parseLong(row[1]),
              number(row[2]),
              number(row[3]),
              number(row[4])));
    }
    return List.copyOf(buckets);
  }

  @Override
  public Optional<Baseline> baseline(SeriesKey series, BaselineQuery query) {
    ensureOpen();
    StringBuilder windows = new StringBuilder();
    for (TimeRange window : query.windows()) {
      windows
          .append(windows.isEmpty() ? "" : " OR ")
          .append("(ts >= ")
          .append(window.fromMillis())
          .append(" AND ts < ")
          .append(window.toMillis())
          .append(')');
    }
    String[] row =
        http.rows(
                "SELECT count(), avg(value), quantilesExact(0.5, 0.95, 0.99)(value) FROM points"
                    + " WHERE series_id = "
                    + SeriesFingerprint.of(series)
                    + " AND ("
                    + windows
                    + ")")
            .getFirst();
    long count = Long.parseLong(row[0]);
    if (count == 0) {
      return Optional.empty();
    }
    double[] levels = numbers(row[2]);
    return Optional.of(new Baseline(count, number(row[1]), levels[0], levels[1], levels[2]));
  }

  @Override
  public Optional<Percentiles> percentiles(SeriesKey series, TimeRange range) {
    ensureOpen();
    String[] row =
        http.rows(
                "SELECT count(), avg(value), min(value), quantilesExact(0.5, 0.9, 0.95,"
                    + " 0.99)(value), max(value) FROM points WHERE "
                    + inRange(series, range))
            .getFirst();
    long count = Long.parseLong(row[0]);
    if (count == 0) {
      return Optional.empty();
    }
    double[] levels = numbers(row[3]);
    return Optional.of(
        new Percentiles(
            count,
            number(row[1]),
            number(row[2]),
            levels[0],
            levels[1],
            levels[2],
            levels[3],
            number(row[4])));
  }

  @Override
  public Optional<Trend> trend(SeriesKey series, TimeRange range) {
    ensureOpen();
    // x in hours since the range's start keeps the sums small enough for doubles.
    String[] row =
        http.rows(
                "SELECT count(), covarPop(x, value), varPop(x), avg(x), avg(value) FROM (SELECT"
                    + " (toInt64(ts) - "
                    + range.fromMillis()
                    + ") / 3600000 AS x, value FROM points WHERE "
                    + inRange(series, range)
                    + ")")
            .getFirst();
    return Trend.fromMoments(
        Long.parseLong(row[0]), number(row[1]), number(row[2]), number(row[3]), number(row[4]));
  }

  /**
   * Drops the day partitions wholly before the cutoff (cheap: files are unlinked), then deletes the
   * rest of the cutoff's day with a mutation and waits for it, since 18.16 has neither {@code TTL}
   * nor synchronous mutations.
   */
  @Override
  public void deleteBefore(long cutoffMillis) {
    ensureOpen();
    long cutoffDay = Math.floorDiv(cutoffMillis, DAY_MILLIS);
    for (String[] row :
        http.rows(
            "SELECT DISTINCT partition FROM system.parts WHERE database = '"
                + database
                + "' AND table = 'points' AND active")) {
      if (Long.parseLong(row[0]) < cutoffDay) {
        http.execute("ALTER TABLE points DROP PARTITION " + Long.parseLong(row[0]));
      }
    }
    String older = http.rows("SELECT count() FROM points WHERE ts < " + cutoffMillis).getFirst()[0];
    if (Long.parseLong(older) > 0) {
      http.execute("ALTER TABLE points DELETE WHERE ts < " + cutoffMillis);
      awaitMutations();
    }
  }

  private void awaitMutations() {
    long deadline = System.nanoTime() + MUTATION_TIMEOUT.toNanos();
    String pending =
        "SELECT count() FROM system.mutations WHERE database = '"
            + database
            + "' AND table = 'points' AND is_done = 0";
    while (!"0".equals(http.rows(pending).getFirst()[0])) {
      if (System.nanoTime() > deadline) {
        throw new TelemetryStoreException(
            "the retention delete in ClickHouse database "
                + database
                + " did not finish within "
                + MUTATION_TIMEOUT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TelemetryStoreException("interrupted while waiting for a retention delete", e);
      }
    }
  }

  @Override
  public List<SeriesKey> series() {
    ensureOpen();
    String body =
        http.execute("SELECT id, name, label_names, label_values FROM series FORMAT JSONEachRow");
    // Unmerged duplicates of a ReplacingMergeTree are possible: keep one row per id.
    Map<Long, SeriesKey> keys = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode row = json.readTree(line);
        TreeMap<String, String> labels = new TreeMap<>();
        JsonNode names = row.get("label_names");
        JsonNode values = row.get("label_values");
        for (int i = 0; i < names.size(); i++) {
          labels.put(names.get(i).asText(), values.get(i).asText());
        }
        keys.put(row.get("id").asLong(), new SeriesKey(row.get("name").asText(), labels));
      } catch (JsonProcessingException e) {
        throw new TelemetryStoreException("unreadable series row from ClickHouse: " + line, e);
      }
    }
    return List.copyOf(keys.values());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      http.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new TelemetryStoreException("the ClickHouse telemetry store is closed");
    }
  }

  /** A Float64 as ClickHouse prints it in TabSeparated: digits, or nan / inf / -inf. */
  private static double number(String text) {
    return switch (text) {
      case "nan", "-nan" -> Double.NaN;
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** An Array(Float64) as printed in TabSeparated: {@code [1,2.5,3]}. */
  private static double[] numbers(String text) {
    String[] parts = text.substring(1, text.length() - 1).split(",");
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = number(parts[i]);
    }
    return values;
  }
}
