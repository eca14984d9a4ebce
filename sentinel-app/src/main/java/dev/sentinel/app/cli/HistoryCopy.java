package dev.sentinel.app.cli;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.duckdb.DuckDbTelemetryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The telemetry history's part of a backup: the embedded DuckDB file, copied whole.
 *
 * <p>DuckDB lets one process open a database file, and a running Sentinel holds its history open.
 * The copy therefore opens the file itself: when that works nobody else has it, a {@code
 * CHECKPOINT} folds the write-ahead log into the file, and the file is copied while the connection
 * still holds the lock, so no Sentinel can start writing half-way. When the file is held, the
 * history is left out and the outcome says why; the rest of the backup does not depend on it.
 */
final class HistoryCopy {

  static final String ENTRY = DuckDbTelemetryStore.FILE_NAME;

  /** Whether the history is in the archive, and a sentence for the operator. */
  record Outcome(boolean included, String note) {}

  private HistoryCopy() {}

  static Outcome copy(SentinelConfig config, Path dataDir, BackupArchive.Writer archive)
      throws IOException {
    if (!"duckdb".equals(config.telemetry().store())) {
      return new Outcome(
          false,
          "not local (telemetry.store is "
              + config.telemetry().store()
              + "); back ClickHouse up with its own tools");
    }
    Path file = dataDir.resolve(DuckDbTelemetryStore.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return new Outcome(false, "none yet in " + file);
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("lock")) {
        return new Outcome(
            false,
            "NOT included: a running Sentinel holds "
                + file
                + " and DuckDB admits one process per file. Stop Sentinel and run the backup"
                + " again to include the history; without it, a restored Sentinel re-learns"
                + " baselines from new telemetry");
      }
      throw new IOException("cannot open the telemetry history " + file + ": " + e.getMessage(), e);
    }
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
      try (InputStream in = Files.newInputStream(file)) {
        archive.copy(ENTRY, in);
      }
      return new Outcome(true, "included (" + Files.size(file) + " bytes)");
    } catch (SQLException e) {
      throw new IOException("cannot checkpoint the telemetry history " + file, e);
    }
  }
}
