package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second process (the CLI) next to {@code sentinel run}: it must share the running bundled
 * server, not start another on the same data directory, and leave it running.
 */
class PostgresDatabaseAttachTest {

  @TempDir Path dataDir;

  private static long postmasterPid(Path dataDir) throws Exception {
    return Long.parseLong(
        Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
  }

  private static String query(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void a_command_shares_the_running_bundled_server_and_leaves_it_running() throws Exception {
    try (PostgresDatabase running = PostgresDatabase.open(PostgresConfig.defaults(), dataDir)) {
      long pid = postmasterPid(dataDir);
      try (Statement statement = running.dataSource().getConnection().createStatement()) {
        statement.execute("CREATE TABLE attach_probe (note TEXT)");
        statement.execute("INSERT INTO attach_probe VALUES ('written by run')");
      }
      assertThat(PostgresDatabase.runningPort(dataDir.resolve("postgres"))).isPresent();

      try (PostgresDatabase command = PostgresDatabase.attach(PostgresConfig.defaults(), dataDir)) {
        assertThat(query(command.dataSource(), "SELECT note FROM attach_probe"))
            .isEqualTo("written by run");
        assertThat(postmasterPid(dataDir)).as("no second server").isEqualTo(pid);
      }

      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(query(running.dataSource(), "SELECT count(*) FROM attach_probe")).isEqualTo("1");
    }
  }

  @Test
  void the_newest_migration_is_the_one_flyway_finds_and_a_current_schema_is_not_migrated_again()
      throws Exception {
    try (PostgresDatabase running = PostgresDatabase.open(PostgresConfig.defaults(), dataDir)) {
      String newest =
          PostgresDatabase.flyway(running.dataSource(), running.secrets().keyHasher())
              .load()
              .info()
              .current()
              .getVersion()
              .getVersion();
      assertThat(PostgresDatabase.LATEST_MIGRATION)
          .as("LATEST_MIGRATION must name this build's newest migration")
          .isEqualTo(newest);
      assertThat(PostgresDatabase.schemaVersion(running.dataSource())).isEqualTo(newest);
      String applied = "SELECT count(*) FROM flyway_schema_history";
      String before = query(running.dataSource(), applied);
      try (PostgresDatabase command = PostgresDatabase.attach(PostgresConfig.defaults(), dataDir)) {
        assertThat(query(command.dataSource(), applied)).isEqualTo(before);
      }
    }
  }

  @Test
  void a_command_starts_the_bundled_server_when_none_runs_and_stops_it_after() throws Exception {
    assertThat(PostgresDatabase.runningPort(dataDir.resolve("postgres"))).isEmpty();
    long pid;
    try (PostgresDatabase command = PostgresDatabase.attach(PostgresConfig.defaults(), dataDir)) {
      assertThat(query(command.dataSource(), "SELECT count(*) FROM api_keys")).isEqualTo("0");
      pid = postmasterPid(dataDir);
    }
    assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).isFalse();
    // The server removes its pid file a moment before its process ends.
    java.util.Optional<ProcessHandle> server = ProcessHandle.of(pid);
    if (server.isPresent()) {
      server.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(server.map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void a_stale_pid_file_is_not_a_running_server() throws Exception {
    Path directory = Files.createDirectories(dataDir.resolve("postgres"));
    Files.writeString(
        directory.resolve("postmaster.pid"),
        ProcessHandle.current().pid() + "\n" + directory + "\n1700000000\n5432\n/tmp\nlocalhost\n");
    assertThat(PostgresDatabase.runningPort(directory))
        .as("a live pid that is not PostgreSQL")
        .isEqualTo(OptionalInt.empty());
    Files.writeString(directory.resolve("postmaster.pid"), "not a pid\n");
    assertThat(PostgresDatabase.runningPort(directory)).isEmpty();
  }
}
