package dev.sentinel.bench.load;

import dev.sentinel.duckdb.DuckDbTelemetryStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Prints how many points the DuckDB history of a stopped Sentinel holds: {@code SELECT count(*)
 * FROM points} on {@code DIR/telemetry.duckdb}. The side-by-side benchmark compares it with the
 * points Sentinel accepted, to show that none was lost.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * dev.sentinel.bench.load.HistoryRowCount DATA_DIR}
 */
public final class HistoryRowCount {

  private HistoryRowCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: HistoryRowCount DATA_DIR");
    }
    Path file = Path.of(args[0]).resolve(DuckDbTelemetryStore.FILE_NAME).toAbsolutePath();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM points")) {
      rows.next();
      System.out.println(rows.getLong(1));
    }
  }
}
