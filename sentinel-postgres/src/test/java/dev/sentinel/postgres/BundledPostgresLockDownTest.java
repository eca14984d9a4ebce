package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled PostgreSQL asks for its password, listens on loopback only, and syncs to disk. */
class BundledPostgresLockDownTest {

  @TempDir Path dataDir;

  private static String show(DataSource dataSource, String setting) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SHOW " + setting)) {
      row.next();
      return row.getString(1);
    }
  }

  private int port() {
    return PostgresDatabase.runningPort(dataDir.resolve("postgres")).orElseThrow();
  }

  private static Connection connect(int port, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
  }

  @Test
  void the_bundled_server_refuses_a_connection_without_its_password() throws Exception {
    try (PostgresDatabase database =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      int port = port();
      assertThatThrownBy(() -> connect(port, "").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(() -> connect(port, "not-the-password").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      String password = Files.readString(PostgresDatabase.passwordFile(dataDir)).strip();
      try (Connection connection = connect(port, password)) {
        assertThat(connection.isValid(1)).isTrue();
      }
      assertThat(show(database.dataSource(), "password_encryption")).isEqualTo("scram-sha-256");
    }
  }

  @Test
  void the_bundled_server_syncs_and_listens_on_loopback_with_its_socket_in_its_directory()
      throws Exception {
    try (PostgresDatabase database =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      DataSource state = database.dataSource();
      assertThat(show(state, "fsync")).isEqualTo("on");
      assertThat(show(state, "synchronous_commit")).isEqualTo("on");
      assertThat(show(state, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(show(state, "unix_socket_directories"))
          .isEqualTo(dataDir.resolve("postgres").toAbsolutePath().toString());
      assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf")))
          .isEqualTo(PostgresDatabase.PG_HBA)
          .doesNotContain("trust");
    }
  }

  @Test
  void the_password_file_and_the_other_secrets_are_readable_by_their_owner_only() throws Exception {
    try (PostgresDatabase database =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      Path secrets = dataDir.resolve("secrets");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)))
          .isEqualTo("rwx------");
      for (String name : new String[] {"postgres-password", "audit-key", "api-key-pepper"}) {
        Path file = secrets.resolve(name);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .as(name)
            .isEqualTo("rw-------");
        assertThat(Files.readString(file).strip()).as(name).hasSize(43);
      }
    }
  }

  @Test
  void the_same_password_opens_the_server_again_after_a_restart() throws Exception {
    try (PostgresDatabase first =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      show(first.dataSource(), "fsync");
    }
    String password = Files.readString(PostgresDatabase.passwordFile(dataDir));
    try (PostgresDatabase second =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      assertThat(show(second.dataSource(), "fsync")).isEqualTo("on");
    }
    assertThat(Files.readString(PostgresDatabase.passwordFile(dataDir))).isEqualTo(password);
  }

  @Test
  void a_lost_password_file_is_named_at_once() throws Exception {
    try (PostgresDatabase first =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      show(first.dataSource(), "fsync");
    }
    Files.delete(PostgresDatabase.passwordFile(dataDir));

    assertThatThrownBy(() -> PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("postgres-password is missing");
  }

  @Test
  void a_data_directory_that_trusted_local_users_is_given_a_password() throws Exception {
    // What an older Sentinel left: the library's defaults, trust for every local connection.
    Path directory = dataDir.resolve("postgres");
    Files.createDirectories(directory);
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .start()) {
      try (Connection connection = connect(old.getPort(), "")) {
        assertThat(connection.isValid(1)).isTrue();
      }
    }
    assertThat(Files.readString(directory.resolve("pg_hba.conf"))).contains("trust");

    try (PostgresDatabase database =
        PostgresDatabase.open(PostgresConfig.defaults(), dataDir, Map.of())) {
      int port = port();
      assertThatThrownBy(() -> connect(port, "").close()).isInstanceOf(SQLException.class);
      String password = Files.readString(PostgresDatabase.passwordFile(dataDir)).strip();
      try (Connection connection = connect(port, password)) {
        assertThat(connection.isValid(1)).isTrue();
      }
      assertThat(show(database.dataSource(), "fsync")).isEqualTo("on");
      assertThat(Files.readString(directory.resolve("pg_hba.conf")))
          .isEqualTo(PostgresDatabase.PG_HBA);
    }
  }
}
