package dev.sentinel.postgres;

import dev.sentinel.access.KeyHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The databases the state-store tests run on: the bundled PostgreSQL (Sentinel's default), and the
 * machine's own server when {@code SENTINEL_TEST_POSTGRES_URL} names one (CI sets it), so that the
 * same suite proves both.
 */
final class TestDatabases {

  private static PostgresDatabase bundled;
  private static PostgresDatabase external;

  private TestDatabases() {}

  /** The bundled server, started once per test JVM, in a fresh schema state. */
  // When SENTINEL_TEST_POSTGRES_URL is set, the external server instead (see external()), so every
  // suite that calls this runs unchanged on both.
  static synchronized PostgresDatabase bundled() throws Exception {
    String externalUrl = System.getenv("SENTINEL_TEST_POSTGRES_URL");
    if (externalUrl != null && !externalUrl.isBlank()) {
      return external(externalUrl.strip());
    }
    if (bundled == null) {
      Path dir = Files.createTempDirectory("sentinel-pg-test");
      bundled = PostgresDatabase.open(PostgresConfig.defaults(), dir);
      Runtime.getRuntime().addShutdownHook(new Thread(bundled::close));
    }
    return bundled;
  }

  /**
   * A trail on the test database with its key, and a head file of its own, so that a test that
   * empties the trail does not find the head an earlier test left.
   */
  static PostgresAuditTrail auditTrail(DataSource dataSource) {
    try {
      Path head = Files.createTempDirectory("sentinel-audit-head").resolve("audit-head");
      return new PostgresAuditTrail(dataSource, bundled().secrets().auditKey(), head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pepper of the test database's API-key hashes. */
  static KeyHasher keyHasher() throws Exception {
    return bundled().secrets().keyHasher();
  }

  /** The test database with these tables emptied, for a test that starts from nothing. */
  static DataSource emptied(String... tables) throws Exception {
    DataSource dataSource = bundled().dataSource();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE " + String.join(", ", tables));
    }
    return dataSource;
  }

  /** Empties every table the migrations made, and resets the audit head. */
  static void reset(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE audit_log, api_keys");
      statement.execute(
          "UPDATE audit_head SET last_sequence = 0, anchor_sequence = 0, last_hash = repeat('0',"
              + " 64), anchor_hash = repeat('0', 64)");
    }
  }

  /**
   * The machine's own server named by a JDBC URL (credentials in the URL, e.g. {@code
   * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), migrated into a schema of its own for
   * this test JVM, so that concurrent runs and earlier leftovers cannot collide. The schema is
   * dropped when the JVM exits.
   */
  private static PostgresDatabase external(String url) throws SQLException, IOException {
    if (external == null) {
      String schema =
          "sentinel_test_"
              + ProcessHandle.current().pid()
              + "_"
              + Long.toString(System.currentTimeMillis(), 36);
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
      String inSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      external =
          PostgresDatabase.open(
              new PostgresConfig(inSchema, "", "", 4),
              Files.createTempDirectory("sentinel-pg-test-secrets"));
      PostgresDatabase opened = external;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    opened.close();
                    try (Connection connection = DriverManager.getConnection(url);
                        Statement statement = connection.createStatement()) {
                      statement.execute("DROP SCHEMA " + schema + " CASCADE");
                    } catch (SQLException e) {
                      System.err.println("could not drop test schema " + schema + ": " + e);
                    }
                  }));
    }
    return external;
  }
}
