package dev.sentinel.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TelemetryStoreContract;
import dev.sentinel.history.TimeRange;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.testing.Prerequisites;
import dev.sentinel.trace.RequestIds;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry-store contract on a real ClickHouse server, named by {@code
 * SENTINEL_TEST_CLICKHOUSE_URL} ({@code . scripts/clickhouse.sh} starts one and sets it). Skipped
 * when the variable is unset. A fresh database per class; each test starts with empty tables, and
 * "reopening" is a new store instance on the same database.
 */
class ClickHouseTelemetryStoreIT extends TelemetryStoreContract {

  private static URI url;
  private static String database;

  @BeforeAll
  static void createDatabase() {
    String configured = System.getenv("SENTINEL_TEST_CLICKHOUSE_URL");
    if (configured == null || configured.isBlank()) {
      return; // every test is skipped, with the reason, in emptyTables()
    }
    url = URI.create(configured.strip());
    database =
        "sentinel_test_"
            + ProcessHandle.current().pid()
            + "_"
            + Long.toString(System.currentTimeMillis(), 36);
    try (ClickHouseHttp server = new ClickHouseHttp(url, null)) {
      server.executeOnServer("CREATE DATABASE " + database);
    }
  }

  @BeforeEach
  void emptyTables() {
    // Assumed per test rather than once per class, so that the report counts each test skipped.
    Prerequisites.require(
        url != null,
        "SENTINEL_TEST_CLICKHOUSE_URL is not set: ClickHouse tests skipped (run"
            + " '. scripts/clickhouse.sh' first to start a server and set it)");
    try (ClickHouseHttp server = new ClickHouseHttp(url, database)) {
      server.execute("DROP TABLE IF EXISTS points");
      server.execute("DROP TABLE IF EXISTS series");
    }
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      try (ClickHouseHttp server = new ClickHouseHttp(url, null)) {
        server.executeOnServer("DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  @Override
  protected TelemetryStore open() {
    return ClickHouseTelemetryStore.open(url, database);
  }

  @Test
  void a_query_made_for_a_request_is_tagged_with_its_id_in_the_query_log() {
    String requestId = "incident-inc-ch-" + System.nanoTime() + "-run-1";
    try (TelemetryStore store = open()) {
      try (RequestIds.Scope request = RequestIds.open(requestId)) {
        store.points(
            SeriesKey.of("latency_ms", Map.of("service", "api")), TimeRange.of(0, 60_000), 10);
      }
    }
    try (ClickHouseHttp server = new ClickHouseHttp(url, null)) {
      server.executeOnServer("SYSTEM FLUSH LOGS");
      List<String[]> logged =
          server.rows(
              "SELECT DISTINCT query FROM system.query_log WHERE query_id LIKE '"
                  + requestId
                  + "/%'");
      assertThat(logged).hasSize(1);
      assertThat(logged.getFirst()[0]).startsWith("SELECT ts, value FROM points");
    }
  }
}
