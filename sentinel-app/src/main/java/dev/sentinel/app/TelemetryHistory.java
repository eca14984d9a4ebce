package dev.sentinel.app;

import dev.sentinel.app.config.TelemetryConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.clickhouse.ClickHouseTelemetryStore;
import dev.sentinel.duckdb.DuckDbTelemetryStore;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TelemetryWriter;
import dev.sentinel.history.WriterConfig;
import dev.sentinel.history.WriterHealth;
import dev.sentinel.history.WriterStatus;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry store as the running Sentinel uses it: the store chosen by configuration, the
 * writer that feeds it off the detection path, its daily retention, its health and meters, and the
 * historical context the analyst and API read from it.
 */
final class TelemetryHistory implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("telemetry");

  /** Weeks of the same weekday a baseline looks back over. */
  private static final int BASELINE_WEEKS = 4;

  /**
   * How long an edge's batch waits for room in a full history before it is refused (HTTP 503/429):
   * as long as the {@code Retry-After: 1} the refusal would ask for, so a client that waits gets
   * its answer no later than one that retries.
   */
  private static final Duration ROOM_WAIT = Duration.ofSeconds(1);

  /** Health stays degraded this long after the last dropped point. */
  private static final long RECENT_DROP_MILLIS = 5 * 60_000L;

  private final TelemetryStore store;
  private final TelemetryWriter writer;
  private final String description;
  private final Clock clock;
  private long droppedSeen;
  private long lastDropAt;

  private TelemetryHistory(
      TelemetryStore store, TelemetryWriter writer, String description, Clock clock) {
    this.store = store;
    this.writer = writer;
    this.description = description;
    this.clock = clock;
  }

  /** Opens the configured store and starts its writer; {@code none} keeps no history. */
  static TelemetryHistory open(
      TelemetryConfig config,
      Path dataDir,
      SeriesRegistry registry,
      Clock clock,
      ScheduledExecutorService timers,
      MeterRegistry meters) {
    if (config.store().equals("none")) {
      return new TelemetryHistory(null, null, "none (telemetry.store: none)", clock);
    }
    TelemetryStore store;
    String description;
    if (config.store().equals("clickhouse")) {
      TelemetryConfig.ClickHouse clickhouse = config.clickhouse();
      store = ClickHouseTelemetryStore.open(URI.create(clickhouse.url()), clickhouse.database());
      description = "ClickHouse at " + clickhouse.url() + ", database " + clickhouse.database();
    } else {
      store = DuckDbTelemetryStore.open(dataDir);
      description = "DuckDB " + dataDir.resolve(DuckDbTelemetryStore.FILE_NAME);
    }
    TelemetryConfig.Buffer buffer = config.buffer();
    TelemetryWriter writer =
        new TelemetryWriter(
            store,
            registry,
            new WriterConfig(
                buffer.batchPoints(),
                Duration.ofMillis(buffer.flushMillis()),
                buffer.points(),
                Duration.ofMillis(200),
                Duration.ofSeconds(30)),
            clock);
    writer.start();
    TelemetryHistory history = new TelemetryHistory(store, writer, description, clock);
    history.bindMeters(meters);
    config
        .cutoffMillis(clock.millis())
        .ifPresent(
            first ->
                timers.scheduleWithFixedDelay(
                    // The deletion may take minutes on a large store: off the shared timer thread.
                    () ->
                        Thread.startVirtualThread(
                            () -> history.prune(config.cutoffMillis(clock.millis()).orElse(0))),
                    1,
                    24 * 60,
                    TimeUnit.MINUTES));
    return history;
  }

  String description() {
    return description;
  }

  /** Hands a batch to the writer (a copy under a short lock); never waits for the store. */
  void offer(PointBatch batch) {
    if (writer != null) {
      writer.offer(batch);
    }
  }

  /**
   * The bus the edges should publish to: {@code bus} itself, or, with {@code whenFull:
   * backpressure}, {@code bus} behind {@link HistoryBackPressure}.
   */
  TelemetryBus edge(TelemetryBus bus, TelemetryConfig config) {
    return writer != null && config.buffer().whenFull().equals("backpressure")
        ? new HistoryBackPressure(bus, writer, ROOM_WAIT)
        : bus;
  }

  /**
   * Completes once every point offered before the call is written to the store (or, past the
   * buffer's bound in an outage, dropped and counted); at once without a store.
   */
  CompletableFuture<Void> settled() {
    return writer == null ? CompletableFuture.completedFuture(null) : writer.settled();
  }

  Optional<TelemetryStore> store() {
    return Optional.ofNullable(store);
  }

  HistoricalContext context() {
    return store == null
        ? HistoricalContext.unavailable("no telemetry store is configured (telemetry.store: none)")
        : HistoricalContext.of(store, BASELINE_WEEKS);
  }

  Health health() {
    if (writer == null) {
      return Health.up(Map.of("store", description));
    }
    WriterHealth state = writer.health();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("store", description);
    details.put("bufferedPoints", state.bufferedPoints());
    details.put("writtenPoints", state.writtenPoints());
    details.put("droppedPoints", state.droppedPoints());
    if (state.lastError() != null) {
      details.put("lastError", state.lastError());
    }
    long now = clock.millis();
    boolean recentDrop;
    synchronized (this) {
      if (state.droppedPoints() > droppedSeen) {
        droppedSeen = state.droppedPoints();
        lastDropAt = now;
      }
      recentDrop = lastDropAt > 0 && now - lastDropAt < RECENT_DROP_MILLIS;
    }
    if (recentDrop) {
      return new Health(
          Health.Status.DEGRADED,
          "the telemetry store did not keep up and points were dropped from its history within"
              + " the last 5 minutes (detection is unaffected); raise telemetry.buffer.points or"
              + " use ClickHouse",
          details);
    }
    if (state.status() == WriterStatus.DEGRADED) {
      return new Health(
          Health.Status.DEGRADED,
          "the telemetry store is failing ("
              + state.consecutiveFailures()
              + " attempts in a row); points are buffered and retried",
          details);
    }
    return Health.up(details);
  }

  private void bindMeters(MeterRegistry meters) {
    Gauge.builder("sentinel.telemetry.buffered.points", writer, w -> w.health().bufferedPoints())
        .description("Points waiting to be written to the telemetry store")
        .register(meters);
    FunctionCounter.builder(
            "sentinel.telemetry.written.points", writer, w -> w.health().writtenPoints())
        .description("Points written to the telemetry store")
        .register(meters);
    FunctionCounter.builder(
            "sentinel.telemetry.dropped.points", writer, w -> w.health().droppedPoints())
        .description("Points dropped because the store was down past the buffer's bound")
        .register(meters);
  }

  private void prune(long cutoffMillis) {
    try {
      store.deleteBefore(cutoffMillis);
      log.info(
          "telemetry retention deleted points older than {}", Instant.ofEpochMilli(cutoffMillis));
    } catch (RuntimeException e) {
      log.warn("telemetry retention failed", e);
    }
  }

  /** Writes what the writer holds (one last attempt), then closes the store. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
