package dev.sentinel.app.http;

import dev.sentinel.access.KeyHasher;
import dev.sentinel.postgres.PostgresAuditTrail;
import dev.sentinel.postgres.PostgresConfig;
import dev.sentinel.postgres.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The bundled PostgreSQL the HTTP tests keep keys and audit entries in: one per test JVM. */
final class TestStateStore {

  private static PostgresDatabase database;

  private TestStateStore() {}

  static synchronized DataSource dataSource() {
    return database().dataSource();
  }

  private static synchronized PostgresDatabase database() {
    if (database == null) {
      try {
        database =
            PostgresDatabase.open(
                PostgresConfig.defaults(), Files.createTempDirectory("sentinel-app-test"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(database::close));
    }
    return database;
  }

  /**
   * An audit trail keyed as {@code sentinel run} keys it, with a head file of its own, so that a
   * trail emptied by {@link #reset()} does not meet the head an earlier test left.
   */
  static PostgresAuditTrail auditTrail() {
    try {
      Path head = Files.createTempDirectory("sentinel-audit-head").resolve("audit-head");
      return new PostgresAuditTrail(dataSource(), database().secrets().auditKey(), head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pepper of the stored API-key hashes. */
  static KeyHasher keyHasher() {
    return database().secrets().keyHasher();
  }

  /** No keys, an empty audit trail. */
  static void reset() {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE audit_log, api_keys");
      statement.execute(
          "UPDATE audit_head SET last_sequence = 0, anchor_sequence = 0,"
              + " last_hash = repeat('0', 64), anchor_hash = repeat('0', 64)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
