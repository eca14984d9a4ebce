package dev.sentinel.bench.store;

import dev.sentinel.clickhouse.ClickHouseTelemetryStore;
import dev.sentinel.duckdb.DuckDbTelemetryStore;
import dev.sentinel.history.BaselineQuery;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TimeRange;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Append throughput and query latency of the telemetry stores. Writes {@code rows} points (default
 * 1 M) in batches of {@code batch} (default 100 000): 100 series of 10 000 points, or, for the
 * query part, one series of all the points every 3 s (about 35 days), then times the baseline and
 * aggregate queries over them.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * dev.sentinel.bench.store.TelemetryStoreBenchmark duckdb|clickhouse [rows] [batch] [url]}.
 * ClickHouse gets a fresh database, dropped at the end; only loopback servers are accepted.
 */
public final class TelemetryStoreBenchmark {

  private static final long START = 1_772_409_600_000L; // Monday 2 March 2026, 00:00 UTC
  private static final int QUERY_RUNS = 20;

  private TelemetryStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "duckdb";
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    URI url = URI.create(args.length > 3 ? args[3] : "http://127.0.0.1:8123");
    String database = "sentinel_bench_" + Long.toString(System.currentTimeMillis(), 36);
    Path directory = Files.createTempDirectory("sentinel-store-bench");
    Supplier<TelemetryStore> open =
        switch (kind) {
          case "duckdb" -> () -> DuckDbTelemetryStore.open(directory);
          case "clickhouse" -> {
            requireLoopback(url);
            yield () -> ClickHouseTelemetryStore.open(url, database);
          }
          default -> throw new IllegalArgumentException("store must be duckdb or clickhouse");
        };
    System.out.printf(Locale.ROOT, "%s: %,d rows in batches of %,d%n", kind, rows, batch);
    try (TelemetryStore store = open.get()) {
      appendRun(store, "warm-up   ", Math.min(rows, 2 * batch), batch, 10);
      appendRun(store, "100 series", rows, batch, 100);
      appendRun(store, "1 series  ", rows, batch, 1);
      SeriesKey one = SeriesKey.of("bench_one", Map.of("series", "0"));
      long at = START + (long) rows * 3_000; // just after the last point
      time(
          "baseline weekly, 4 weeks ± 30 min",
          () -> store.baseline(one, BaselineQuery.weekly(at, 4)));
      time(
          "baseline daily, 28 days ± 30 min",
          () -> store.baseline(one, BaselineQuery.daily(at, 28)));
      TimeRange all = TimeRange.of(START, at);
      time(
          "per-minute aggregate, all points",
          () -> store.aggregate(one, all, Duration.ofMinutes(1)));
      time("percentiles, all points", () -> store.percentiles(one, all));
      time("trend, all points", () -> store.trend(one, all));
      time(
          "points, one hour",
          () -> store.points(one, TimeRange.of(START, START + 3_600_000), 10_000));
    } finally {
      if (kind.equals("clickhouse")) {
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(url)
                    .POST(
                        HttpRequest.BodyPublishers.ofString("DROP DATABASE IF EXISTS " + database))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
      }
    }
    if (kind.equals("clickhouse")) {
      insertFormats(url, database + "_formats", rows, batch);
    }
  }

  /** Appends {@code rows} points over {@code seriesCount} series and prints rows per second. */
  private static void appendRun(
      TelemetryStore store, String label, int rows, int batchSize, int seriesCount) {
    SeriesRegistry registry = new SeriesRegistry();
    int[] ids = new int[seriesCount];
    for (int s = 0; s < seriesCount; s++) {
      String name = seriesCount == 1 ? "bench_one" : "bench_" + seriesCount;
      ids[s] = registry.intern(SeriesKey.of(name, Map.of("series", Integer.toString(s))));
    }
    Random random = new Random(42);
    // Build every batch first, so that only the store's work is timed.
    PointBatch[] batches = new PointBatch[(rows + batchSize - 1) / batchSize];
    for (int b = 0; b < batches.length; b++) {
      int size = Math.min(batchSize, rows - b * batchSize);
      batches[b] = new PointBatch(size);
      for (int i = 0; i < size; i++) {
        int n = b * batchSize + i;
        int series = n % seriesCount;
        long step = seriesCount == 1 ? 3_000 : 10_000;
        batches[b].add(
            ids[series], START + (n / seriesCount) * step, 100 + random.nextGaussian() * 10);
      }
    }
    long started = System.nanoTime();
    for (PointBatch batch : batches) {
      store.append(batch, registry);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "  append %s: %,d rows in %.2f s = %,.0f rows/s%n",
        label,
        rows,
        seconds,
        rows / seconds);
  }

  private static void time(String label, Supplier<?> query) {
    query.get(); // warm-up
    long[] nanos = new long[QUERY_RUNS];
    Object result = null;
    for (int run = 0; run < QUERY_RUNS; run++) {
      long started = System.nanoTime();
      result = query.get();
      nanos[run] = System.nanoTime() - started;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "  %-36s median %7.1f ms, min %7.1f ms, max %7.1f ms  (%s)%n",
        label,
        nanos[QUERY_RUNS / 2] / 1e6,
        nanos[0] / 1e6,
        nanos[QUERY_RUNS - 1] / 1e6,
        abbreviate(String.valueOf(result)));
  }

  /**
   * The same 100-series points as raw RowBinary and as TabSeparated bodies, straight over HTTP,
   * alternating three rounds each, to compare the two insert formats on this server fairly (same
   * JVM, same data, same table, interleaved so that load from elsewhere hits both alike).
   */
  private static void insertFormats(URI url, String database, int rows, int batchSize)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    post(client, url, null, "CREATE DATABASE " + database);
    try {
      post(
          client,
          url,
          null,
          "CREATE TABLE "
              + database
              + ".points (series_id UInt64, ts UInt64, value Float64) ENGINE = MergeTree()"
              + " PARTITION BY intDiv(ts, 86400000) ORDER BY (series_id, ts)");
      Random random = new Random(42);
      int batches = (rows + batchSize - 1) / batchSize;
      byte[][] text = new byte[batches][];
      byte[][] binary = new byte[batches][];
      for (int b = 0; b < batches; b++) {
        int size = Math.min(batchSize, rows - b * batchSize);
        StringBuilder tsv = new StringBuilder(size * 48);
        java.nio.ByteBuffer rowBinary =
            java.nio.ByteBuffer.allocate(size * 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
          int n = b * batchSize + i;
          long series = 1_000_000_007L * (n % 100) & Long.MAX_VALUE;
          long ts = START + (n / 100) * 10_000L;
          double value = 100 + random.nextGaussian() * 10;
          tsv.append(series).append('\t').append(ts).append('\t').append(value).append('\n');
          rowBinary.putLong(series).putLong(ts).putDouble(value);
        }
        text[b] = tsv.toString().getBytes(StandardCharsets.UTF_8);
        binary[b] = rowBinary.array();
      }
      for (int round = 1; round <= 3; round++) {
        for (String format : new String[] {"RowBinary", "TabSeparated"}) {
          byte[][] bodies = format.equals("RowBinary") ? binary : text;
          long started = System.nanoTime();
          for (byte[] body : bodies) {
            post(client, url, "INSERT INTO " + database + ".points FORMAT " + format, body);
          }
          double seconds = (System.nanoTime() - started) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "  raw insert round %d, %-12s (%,d bytes a batch): %,.0f rows/s%n",
              round,
              format,
              bodies[0].length,
              rows / seconds);
        }
      }
    } finally {
      post(client, url, null, "DROP DATABASE IF EXISTS " + database);
    }
  }

  private static void post(HttpClient client, URI url, String query, Object body) throws Exception {
    URI target =
        query == null
            ? url
            : URI.create(
                url + "/?query=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8));
    HttpRequest.BodyPublisher publisher =
        body instanceof byte[] bytes
            ? HttpRequest.BodyPublishers.ofByteArray(bytes)
            : HttpRequest.BodyPublishers.ofString((String) body);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(target).POST(publisher).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("ClickHouse: " + response.body());
    }
  }

  private static void requireLoopback(URI url) {
    String host = url.getHost();
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
      throw new IllegalArgumentException("only loopback servers are allowed, got " + host);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 90 ? text : text.substring(0, 90) + "…";
  }
}
