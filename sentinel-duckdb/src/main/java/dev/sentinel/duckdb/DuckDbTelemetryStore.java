package dev.sentinel.duckdb;

import dev.sentinel.history.Baseline;
import dev.sentinel.history.BaselineQuery;
import dev.sentinel.history.BatchSeries;
import dev.sentinel.history.Bucket;
import dev.sentinel.history.FingerprintCache;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The embedded telemetry store: one DuckDB file, {@code telemetry.duckdb}, under a directory.
 *
 * <p>Tables: {@code series(id, name, text)} and {@code series_labels(series_id, name, value)} keep
 * each series' identity once; {@code points(series_id, ts, value)} holds one row per point, with
 * the series' {@link SeriesFingerprint} as id and epoch milliseconds as {@code ts}. Points carry no
 * index: DuckDB's per-row-group min/max of {@code series_id} and {@code ts} prune the scans, and an
 * index would slow the appends.
 *
 * <p>Writes go through one connection under a lock (DuckDB allows one appender per connection at a
 * time); each read runs on a connection of its own, duplicated from it, so reads proceed while the
 * writer appends.
 */
public final class DuckDbTelemetryStore implements TelemetryStore {

  public static final String FILE_NAME = "telemetry.duckdb";

  private final DuckDBConnection connection;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Set<Long> knownSeries = ConcurrentHashMap.newKeySet();
  private final FingerprintCache fingerprints = new FingerprintCache(); // under writeLock

  private DuckDbTelemetryStore(DuckDBConnection connection) {
    this.connection = connection;
  }

  /** Opens (creating when needed) the store file under {@code directory}. */
  public static DuckDbTelemetryStore open(Path directory) {
    try {
      Files.createDirectories(directory);
      String url = "jdbc:duckdb:" + directory.resolve(FILE_NAME).toAbsolutePath();
      DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection(url);
      DuckDbTelemetryStore store = new DuckDbTelemetryStore(connection);
      store.createSchema();
      return store;
    } catch (SQLException | java.io.IOException e) {
      throw new TelemetryStoreException(
          "cannot open the DuckDB telemetry store in " + directory, e);
    }
  }

  private void createSchema() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS series (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL,"
              + " text VARCHAR NOT NULL)");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS series_labels (series_id BIGINT NOT NULL, name VARCHAR NOT"
              + " NULL, value VARCHAR NOT NULL, PRIMARY KEY (series_id, name))");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS points (series_id BIGINT NOT NULL, ts BIGINT NOT NULL,"
              + " value DOUBLE NOT NULL)");
      try (ResultSet ids = statement.executeQuery("SELECT id FROM series")) {
        while (ids.next()) {
          knownSeries.add(ids.getLong(1));
        }
      }
    }
  }

  /**
   * Writes the batch, and the series it brings, in one transaction: one commit, so one WAL write
   * and one fsync a batch. Under auto-commit, duckdb_jdbc's Appender flushes every 2,048 rows
   * (DuckDB's vector size) and each flush was a transaction of its own: 25 commits, each with its
   * fsync, for a 50,000-point batch. On this shared machine those fsyncs, not DuckDB's compression,
   * were where the append time went (bench/RESULTS-store.md). A batch is now stored whole or not at
   * all.
   */
  @Override
  public void append(PointBatch points, SeriesRegistry registry) {
    if (points.isEmpty()) {
      return;
    }
    writeLock.lock();
    try {
      BatchSeries series = BatchSeries.of(points, registry, fingerprints);
      connection.setAutoCommit(false);
      try {
        List<Long> registered = appendRows(points, series);
        connection.commit();
        knownSeries.addAll(registered);
      } catch (SQLException | RuntimeException e) {
        rollBack(e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new TelemetryStoreException("DuckDB append of " + points.size() + " points failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  private void rollBack(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      cause.addSuppressed(rollback);
    }
  }

  /**
   * Appends the points and registers their new series; returns the fingerprints registered, which
   * join {@code knownSeries} only once the transaction has committed.
   */
  private List<Long> appendRows(PointBatch points, BatchSeries series) throws SQLException {
    List<Long> registered = register(series);
    try (DuckDBAppender appender = connection.createAppender("main", "points")) {
      for (int i = 0; i < points.size(); i++) {
        appender.beginRow();
        appender.append(series.fingerprint(i));
        appender.append(points.timestamp(i));
        appender.append(points.value(i));
        appender.endRow();
      }
    }
    return registered;
  }

  /**
   * Inserts the series this store has not seen, with their labels, in the append's transaction;
   * called under the write lock. Through appenders, not one INSERT per row: a batch that brings ten
   * thousand new series would otherwise be thirty thousand single-row transactions, which stalled
   * the writer for minutes. The write lock and {@code knownSeries} (loaded at open, and this
   * process is DuckDB's only writer) keep a series from being appended twice.
   */
  private List<Long> register(BatchSeries series) throws SQLException {
    List<Integer> fresh = new ArrayList<>();
    for (int s = 0; s < series.distinctCount(); s++) {
      if (!knownSeries.contains(series.fingerprintOf(s))) {
        fresh.add(s);
      }
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    try (DuckDBAppender rows = connection.createAppender("main", "series");
        DuckDBAppender labels = connection.createAppender("main", "series_labels")) {
      for (int s : fresh) {
        long id = series.fingerprintOf(s);
        SeriesKey key = series.key(s);
        rows.beginRow();
        rows.append(id);
        rows.append(key.name());
        rows.append(key.text());
        rows.endRow();
        for (Map.Entry<String, String> entry : key.labels().entrySet()) {
          labels.beginRow();
          labels.append(id);
          labels.append(entry.getKey());
          labels.append(entry.getValue());
          labels.endRow();
        }
      }
    }
    List<Long> registered = new ArrayList<>(fresh.size());
    for (int s : fresh) {
      registered.add(series.fingerprintOf(s));
    }
    return registered;
  }

  @Override
  public List<StoredPoint> points(SeriesKey series, TimeRange range, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    return query(
        "SELECT ts, value FROM points WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts"
            + " LIMIT "
            + limit,
        rows -> {
          List<StoredPoint> points = new ArrayList<>();
          while (rows.next()) {
            points.add(new StoredPoint(rows.getLong(1), rows.getDouble(2)));
          }
          return List.copyOf(points);
        },
        SeriesFingerprint.of(series),
        range.fromMillis(),
        range.toMillis());
  }

  @Override
  public List<Bucket> aggregate(SeriesKey series, TimeRange range, Duration step) {
    long stepMillis = range.bucketMillis(step);
    return query(
        "SELECT ts // ? * ? AS bucket, count(*), avg(value), min(value), max(value) FROM points"
            + " WHERE series_id = ? AND ts >= ? AND ts < ? GROUP BY bucket ORDER BY bucket",
        rows -> {
          List<Bucket> buckets = new ArrayList<>();
          while (rows.next()) {
            buckets.add(
                new Bucket(
                    rows.getLong(1),
                    rows.getLong(2),
                    rows.getDouble(3),
                    rows.getDouble(4),
                    rows.getDouble(5)));
          }
          return List.copyOf(buckets);
        },
        stepMillis,
        stepMillis,
        SeriesFingerprint.of(series),
        range.fromMillis(),
        range.toMillis());
  }

  @Override
  public Optional<Baseline> baseline(SeriesKey series, BaselineQuery baseline) {
    // One range scan per window, glued with UNION ALL: DuckDB prunes row groups by the min/max
    // of ts for a single range, but scanned the whole table for the OR of seven ranges
    // (604.8 M rows for 2,520 points; 8-20x slower, bench/RESULTS-store.md).
    List<Object> parameters = new ArrayList<>();
    StringBuilder windows = new StringBuilder();
    for (TimeRange window : baseline.windows()) {
      windows
          .append(windows.isEmpty() ? "" : " UNION ALL ")
          .append("SELECT value FROM points WHERE series_id = ? AND ts >= ? AND ts < ?");
      parameters.add(SeriesFingerprint.of(series));
      parameters.add(window.fromMillis());
      parameters.add(window.toMillis());
    }
    return query(
        "SELECT count(*), avg(value), quantile_disc(value, 0.5), quantile_disc(value, 0.95),"
            + " quantile_disc(value, 0.99) FROM ("
            + windows
            + ")",
        rows -> {
          rows.next();
          long count = rows.getLong(1);
          return count == 0
              ? Optional.<Baseline>empty()
              : Optional.of(
                  new Baseline(
                      count,
                      rows.getDouble(2),
                      rows.getDouble(3),
                      rows.getDouble(4),
                      rows.getDouble(5)));
        },
        parameters.toArray());
  }

  @Override
  public Optional<Percentiles> percentiles(SeriesKey series, TimeRange range) {
    return query(
        "SELECT count(*), avg(value), min(value), quantile_disc(value, 0.5),"
            + " quantile_disc(value, 0.9), quantile_disc(value, 0.95), quantile_disc(value, 0.99),"
            + " max(value) FROM points WHERE series_id = ? AND ts >= ? AND ts < ?",
        rows -> {
          rows.next();
          long count = rows.getLong(1);
          return count == 0
              ? Optional.<Percentiles>empty()
              : Optional.of(
                  new Percentiles(
                      count,
                      rows.getDouble(2),
                      rows.getDouble(3),
                      rows.getDouble(4),
                      rows.getDouble(5),
                      rows.getDouble(6),
                      rows.getDouble(7),
                      rows.getDouble(8)));
        },
        SeriesFingerprint.of(series),
        range.fromMillis(),
        range.toMillis());
  }

  @Override
  public Optional<Trend> trend(SeriesKey series, TimeRange range) {
    // x in hours since the range's start keeps the sums small enough for doubles.
    return query(
        "SELECT count(*), covar_pop(x, value), var_pop(x), avg(x), avg(value) FROM (SELECT"
            + " (ts - ?) / 3600000.0 AS x, value FROM points WHERE series_id = ? AND ts >= ? AND"
            + " ts < ?)",
        rows -> {
          rows.next();
          return Trend.fromMoments(
              rows.getLong(1),
              rows.getDouble(2),
              rows.getDouble(3),
              rows.getDouble(4),
              rows.getDouble(5));
        },
        range.fromMillis(),
        SeriesFingerprint.of(series),
        range.fromMillis(),
        range.toMillis());
  }

  @Override
  public void deleteBefore(long cutoffMillis) {
    writeLock.lock();
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM points WHERE ts < ?")) {
      delete.setLong(1, cutoffMillis);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new TelemetryStoreException("DuckDB retention delete failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public List<SeriesKey> series() {
    return query(
        "SELECT s.id, s.name, l.name, l.value FROM series s LEFT JOIN series_labels l ON"
            + " l.series_id = s.id ORDER BY s.id",
        rows -> {
          Map<Long, String> names = new LinkedHashMap<>();
          Map<Long, TreeMap<String, String>> labels = new LinkedHashMap<>();
          while (rows.next()) {
            long id = rows.getLong(1);
            names.put(id, rows.getString(2));
            TreeMap<String, String> own = labels.computeIfAbsent(id, ignored -> new TreeMap<>());
            String label = rows.getString(3);
            if (label != null) {
              own.put(label, rows.getString(4));
            }
          }
          List<SeriesKey> keys = new ArrayList<>();
          names.forEach((id, name) -> keys.add(new SeriesKey(name, labels.get(id))));
          return List.copyOf(keys);
        });
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new TelemetryStoreException("closing the DuckDB telemetry store failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  @FunctionalInterface
  private interface Rows<T> {
    T read(ResultSet rows) throws SQLException;
  }

  /** Runs a read on a duplicate connection, so that it does not wait for the writer. */
  private <T> T query(String sql, Rows<T> reader, Object... parameters) {
    try (DuckDBConnection reading = connection.duplicate();
        PreparedStatement statement = reading.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setLong(i + 1, (Long) parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        return reader.read(rows);
      }
    } catch (SQLException e) {
      throw new TelemetryStoreException("DuckDB query failed: " + sql, e);
    }
  }
}
