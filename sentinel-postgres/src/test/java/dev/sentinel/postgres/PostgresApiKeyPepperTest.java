package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.access.KeyHasher;
import dev.sentinel.access.KeySecrets;
import dev.sentinel.access.Role;
import dev.sentinel.audit.AuditQuery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored key hashes are peppered with a secret that is not in the database: a key row written with
 * {@code psql} is not a working key, while keys stored before the pepper keep working.
 */
class PostgresApiKeyPepperTest {

  private static final String SECRET = "snt_" + "x".repeat(43);

  private DataSource dataSource;
  private PostgresAuditTrail audit;
  private PostgresApiKeyStore keys;

  @BeforeEach
  void empty() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    TestDatabases.reset(dataSource);
    audit = TestDatabases.auditTrail(dataSource);
    keys = new PostgresApiKeyStore(dataSource, audit, Clock.systemUTC(), TestDatabases.keyHasher());
  }

  private void insertKey(String schema, String id, String hash) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO "
                    + schema
                    + "api_keys (id, name, role, secret_hash, created_at)"
                    + " VALUES (?, 'intruder', 'admin', ?, 0)")) {
      insert.setString(1, id);
      insert.setString(2, hash);
      insert.executeUpdate();
    }
  }

  @Test
  void a_key_row_inserted_behind_sentinels_back_is_not_a_working_key() throws Exception {
    // The attacker knows the hashing scheme, but not the pepper: the best they can store.
    insertKey("", "key_plain", KeySecrets.hash(SECRET));
    KeyHasher guessed =
        new KeyHasher("a guessed pepper, 32 bytes long!".getBytes(StandardCharsets.UTF_8));
    String other = "snt_" + "y".repeat(43);
    insertKey("", "key_guessed", guessed.hash(other));

    assertThat(keys.authenticate(SECRET)).isEmpty();
    assertThat(keys.authenticate(other)).isEmpty();
    assertThat(audit.find(AuditQuery.all(10))).isEmpty();
  }

  @Test
  void a_key_made_by_sentinel_works_and_is_stored_peppered() throws Exception {
    var created = keys.create("deploy-bot", Role.OPERATOR, "cli:test");

    assertThat(keys.authenticate(created.secret())).contains(created.key());
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT secret_hash FROM api_keys")) {
      row.next();
      assertThat(row.getString(1))
          .isEqualTo(TestDatabases.keyHasher().hash(created.secret()))
          .isNotEqualTo(KeySecrets.hash(created.secret()));
    }
  }

  @Test
  void keys_stored_before_the_pepper_are_upgraded_once_by_migration_32() throws Exception {
    String schema = "legacy_keys_" + Long.toString(System.nanoTime(), 36);
    KeyHasher hasher = TestDatabases.keyHasher();
    try {
      PostgresDatabase.flyway(dataSource, hasher).schemas(schema).target("31").load().migrate();
      insertKey(schema + ".", "key_legacy", KeySecrets.hash(SECRET));

      PostgresDatabase.flyway(dataSource, hasher).schemas(schema).load().migrate();

      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet row =
              statement.executeQuery("SELECT secret_hash FROM " + schema + ".api_keys")) {
        row.next();
        assertThat(row.getString(1)).isEqualTo(hasher.hash(SECRET));
      }
      // A plain hash inserted after the migration ran stays plain: it is never upgraded.
      insertKey(schema + ".", "key_late", KeySecrets.hash("snt_" + "z".repeat(43)));
      PostgresDatabase.flyway(dataSource, hasher).schemas(schema).load().migrate();
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT secret_hash FROM " + schema + ".api_keys WHERE id = 'key_late'")) {
        row.next();
        assertThat(row.getString(1)).isEqualTo(KeySecrets.hash("snt_" + "z".repeat(43)));
      }
    } finally {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
