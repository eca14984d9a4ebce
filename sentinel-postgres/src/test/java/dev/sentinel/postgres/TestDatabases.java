package dev.sentinel.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The databases the state-store tests run on: the bundled PostgreSQL (Sentinel's default), and
 * the machine's own server when {@code SENTINEL_TEST_POSTGRES_URL} names one (CI sets it), so
 * that the same suite proves both.
 */
final class TestDatabases {

  private static PostgresDatabase bundled;

  private TestDatabases() {}

  /** The bundled server, started once per test JVM, in a fresh schema state. */
  static synchronized PostgresDatabase bundled() throws Exception {
    if (bundled == null) {
      Path dir = Files.createTempDirectory("sentinel-pg-test");
      bundled = PostgresDatabase.open(PostgresConfig.defaults(), dir);
      Runtime.getRuntime().addShutdownHook(new Thread(bundled::close));
    }
    return bundled;
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
}
