package dev.sentinel.app.config;

import java.net.URI;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where every accepted point is kept for history: baselines, warm-up after a rebalance, analysis.
 *
 * @param store {@code duckdb} (a file under the data directory, the default), {@code clickhouse},
 *     or {@code none} (no history: analysis says so and works from the detectors' state)
 * @param clickhouse the ClickHouse server, when {@code store} is {@code clickhouse}
 * @param retentionDays points older than this are deleted once a day; 0 keeps everything
 * @param buffer how the writer batches, and how much it holds while the store is down
 */
public record TelemetryConfig(
    String store, ClickHouse clickhouse, int retentionDays, Buffer buffer) {

  /**
   * @param url the server's HTTP interface, e.g. {@code http://clickhouse:8123}
   * @param database created when missing
   */
  public record ClickHouse(String url, String database) {
    public ClickHouse {
      Objects.requireNonNull(database, "telemetry.clickhouse.database");
      if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "telemetry.clickhouse.database must be a plain identifier, was '" + database + "'");
      }
    }
  }

  /**
   * @param points the most points held while the store is slow or down (about 24 bytes each);
   *     beyond it the newest are dropped, counted and reported as degraded health
   * @param batchPoints a batch is written once it holds this many points
   * @param flushMillis a batch that is not full is written this long after its first point
   * @param whenFull {@code backpressure} (the default): while the store is up but slower than
   *     ingest, ingest is refused (HTTP 429/503) rather than history lost; {@code drop}: ingest and
   *     detection keep their full speed and the history sheds the newest points, counted. Either
   *     way, while the store is failing the buffer fills and then sheds, so an outage never stops
   *     detection.
   */
  public record Buffer(long points, int batchPoints, long flushMillis, String whenFull) {
    public Buffer {
      whenFull = whenFull == null ? "backpressure" : whenFull;
      if (!whenFull.equals("backpressure") && !whenFull.equals("drop")) {
        throw new IllegalArgumentException(
            "telemetry.buffer.whenFull must be backpressure or drop, was '" + whenFull + "'");
      }
      if (batchPoints < 100) {
        throw new IllegalArgumentException(
            "telemetry.buffer.batchPoints must be >= 100, was " + batchPoints);
      }
      if (points < batchPoints) {
        throw new IllegalArgumentException(
            "telemetry.buffer.points ("
                + points
                + ") must hold at least one batch (telemetry.buffer.batchPoints "
                + batchPoints
                + ")");
      }
      if (flushMillis < 10 || flushMillis > 60_000) {
        throw new IllegalArgumentException(
            "telemetry.buffer.flushMillis must be in 10..60000, was " + flushMillis);
      }
    }
  }

  public TelemetryConfig {
    Objects.requireNonNull(store, "telemetry.store");
    Objects.requireNonNull(clickhouse, "telemetry.clickhouse");
    Objects.requireNonNull(buffer, "telemetry.buffer");
    if (!store.equals("duckdb") && !store.equals("clickhouse") && !store.equals("none")) {
      throw new IllegalArgumentException(
          "telemetry.store must be duckdb, clickhouse or none, was '" + store + "'");
    }
    if (store.equals("clickhouse")) {
      if (clickhouse.url() == null || clickhouse.url().isBlank()) {
        throw new IllegalArgumentException(
            "telemetry.store is clickhouse but telemetry.clickhouse.url is not set");
      }
      URI url = URI.create(clickhouse.url());
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException(
            "telemetry.clickhouse.url must be an http(s) URL, was '" + clickhouse.url() + "'");
      }
    }
    if (retentionDays < 0 || retentionDays > 36_500) {
      throw new IllegalArgumentException(
          "telemetry.retentionDays must be in 0..36500 (0 keeps everything), was " + retentionDays);
    }
  }

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(
        "duckdb",
        new ClickHouse(null, "sentinel"),
        30,
        new Buffer(1_000_000, 50_000, 1000, "backpressure"));
  }

  /** The time before which points are due for deletion at {@code nowMillis}, if any. */
  public OptionalLong cutoffMillis(long nowMillis) {
    return retentionDays == 0
        ? OptionalLong.empty()
        : OptionalLong.of(nowMillis - retentionDays * 86_400_000L);
  }
}
