package dev.sentinel.app.http;

import dev.sentinel.postgres.PostgresConfig;
import dev.sentinel.postgres.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The bundled PostgreSQL the HTTP tests keep keys and audit entries in: one per test JVM. */
final class TestStateStore {

  private static PostgresDatabase database;

  private TestStateStore() {}

  static synchronized DataSource dataSource() {
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
    return database.dataSource();
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
