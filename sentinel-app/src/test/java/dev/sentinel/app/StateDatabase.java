package dev.sentinel.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a Sentinel process under test keeps its state: the bundled PostgreSQL under its data
 * directory, or a fresh database on the machine's own PostgreSQL server (named by {@code
 * SENTINEL_TEST_POSTGRES_URL}, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 */
public sealed interface StateDatabase {

  /** Environment variables that point Sentinel at this database. */
  Map<String, String> environment();

  /** Runs SQL against the database directly, behind Sentinel's back. */
  void execute(String sql, Path dataDir) throws SQLException;

  static List<StateDatabase> available() {
    String server = System.getenv("SENTINEL_TEST_POSTGRES_URL");
    return server == null || server.isBlank()
        ? List.of(new Bundled())
        : List.of(new Bundled(), Machine.create(server));
  }

  /** The PostgreSQL that Sentinel starts itself under its data directory. */
  record Bundled() implements StateDatabase {
    @Override
    public Map<String, String> environment() {
      return Map.of();
    }

    @Override
    public void execute(String sql, Path dataDir) throws SQLException {
      List<String> pid;
      try {
        pid = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
      } catch (java.io.IOException e) {
        throw new SQLException("the bundled PostgreSQL is not running in " + dataDir, e);
      }
      String url = "jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/postgres";
      String password;
      try {
        // The bundled server asks for the password Sentinel keeps in the data directory.
        password =
            Files.readString(dataDir.resolve("secrets").resolve("postgres-password")).strip();
      } catch (java.io.IOException e) {
        throw new SQLException("no password file for the bundled PostgreSQL in " + dataDir, e);
      }
      try (Connection connection = DriverManager.getConnection(url, "postgres", password);
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }

    @Override
    public String toString() {
      return "bundled PostgreSQL";
    }
  }

  /** A fresh database on the machine's PostgreSQL server. */
  record Machine(String url, String user) implements StateDatabase {

    static Machine create(String serverUrl) {
      String name = "sentinel_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection connection = DriverManager.getConnection(serverUrl);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + name);
        String user = connection.getMetaData().getUserName();
        String base = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1);
        return new Machine(base + name, user);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create a test database on " + serverUrl, e);
      }
    }

    @Override
    public Map<String, String> environment() {
      return Map.of("SENTINEL_STATE_URL", url, "SENTINEL_STATE_USER", user);
    }

    @Override
    public void execute(String sql, Path dataDir) throws SQLException {
      try (Connection connection = DriverManager.getConnection(url, user, "");
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }

    @Override
    public String toString() {
      return "machine PostgreSQL";
    }
  }
}
