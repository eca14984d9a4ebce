package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.access.KeySecrets;
import dev.sentinel.access.Role;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.Verification;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades: a data directory whose bundled PostgreSQL was made at an older schema version, holding
 * the rows Sentinel kept then, opens with the current build, every newer migration applied and the
 * rows still readable through today's stores. The same holds for a backup taken at that version.
 *
 * <p>The older directory is made by this build's own migrations stopped at version {@value #OLDER}
 * (incidents and workflow cases, before the notification outbox, the API-key pepper and case
 * leases), with rows written as that schema stores them. It is not a directory written by an older
 * build's code: what an older build did differently outside its migrations is not covered.
 */
class SchemaUpgradeTest {

  /** Before V30 (outbox), V31 (firing alerts), V32 (API-key pepper) and V40 (case leases). */
  private static final String OLDER = "6";

  private static final String SECRET = "snt_" + "u".repeat(43);

  @TempDir Path work;

  @Test
  void a_data_directory_at_an_older_schema_opens_with_its_rows_intact_and_every_migration_applied()
      throws Exception {
    Path data = work.resolve("data");
    try (PostgresDatabase older =
        PostgresDatabase.openAtVersion(PostgresConfig.defaults(), data, OLDER)) {
      assertThat(StateDump.schemaVersion(older)).isEqualTo(OLDER);
      writeRowsAsTheOlderSchemaKeptThem(older);
    }
    try (PostgresDatabase current = PostgresDatabase.open(PostgresConfig.defaults(), data)) {
      assertUpgraded(current);
    }
  }

  @Test
  void a_backup_taken_at_an_older_schema_restores_and_is_migrated_forward() throws Exception {
    Map<String, byte[]> dump = new HashMap<>();
    Path data = work.resolve("older");
    try (PostgresDatabase older =
        PostgresDatabase.openAtVersion(PostgresConfig.defaults(), data, OLDER)) {
      writeRowsAsTheOlderSchemaKeptThem(older);
      StateDump.Contents written =
          StateDump.write(
              older,
              (name, body) -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                body.writeTo(bytes);
                dump.put(name, bytes.toByteArray());
              });
      assertThat(written.schemaVersion()).isEqualTo(OLDER);
      assertThat(written.rows()).containsEntry("incidents", 1L).containsEntry("audit_log", 2L);
    }
    StateDump.Source source =
        name -> {
          byte[] bytes = dump.get(name);
          if (bytes == null) {
            throw new IOException("no entry " + name);
          }
          return new ByteArrayInputStream(bytes);
        };
    Path restored = work.resolve("restored");
    Files.createDirectories(restored.resolve("secrets"));
    for (String secret : List.of("audit-key", "api-key-pepper")) {
      Files.copy(
          data.resolve("secrets").resolve(secret), restored.resolve("secrets").resolve(secret));
    }
    try (PostgresDatabase database =
        PostgresDatabase.openAtVersion(
            PostgresConfig.defaults(), restored, StateDump.schemaVersion(source))) {
      StateDump.Contents loaded = StateDump.load(database, source);
      assertThat(loaded.auditSequence()).isEqualTo(2);
    }
    try (PostgresDatabase current = PostgresDatabase.open(PostgresConfig.defaults(), restored)) {
      assertUpgraded(current);
    }
  }

  /** Through today's audit trail (its tables are unchanged since V1), and SQL for the rest. */
  private static void writeRowsAsTheOlderSchemaKeptThem(PostgresDatabase database)
      throws SQLException {
    PostgresAuditTrail audit = new PostgresAuditTrail(database.dataSource(), database.secrets());
    for (AuditAction action : List.of(AuditAction.INCIDENT_OPENED, AuditAction.INCIDENT_RESOLVED)) {
      audit.append(
          new AuditRecord(
              1_000, "upgrade-test", action, "inc_old", new TreeMap<>(Map.of("note", "older"))));
    }
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      // Before V32, a key's hash was the plain SHA-256 of its secret.
      statement.execute(
          "INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES"
              + " ('key_old', 'older bot', 'operator', '"
              + KeySecrets.hash(SECRET)
              + "', 500)");
      statement.execute(
          "INSERT INTO incidents (id, group_key, group_labels, status, severity, service,"
              + " opened_at, last_anomaly_at, resolved_at, anomaly_count, max_score,"
              + " max_confidence, series, resolution) VALUES ('inc_old', 'service=checkout',"
              + " '{\"service\": \"checkout\"}', 'resolved', 'HIGH', 'checkout', 1000, 2000, 3000,"
              + " 3, 9.5, 0.9, '[\"error_rate{service=\\\"checkout\\\"}\"]', 'restarted checkout')");
      statement.execute(
          "INSERT INTO incident_events (incident_id, at_millis, kind, actor, summary, details)"
              + " VALUES ('inc_old', 1000, 'opened', 'detector', 'error rate up', '{}')");
      statement.execute(
          "INSERT INTO workflow_cases (incident_id, run, state, due_at) VALUES"
              + " ('inc_old', 1, 'done', 0)");
      statement.execute(
          "INSERT INTO lessons (incident_id, cause, operation, service, recovery, at_millis)"
              + " VALUES ('inc_old', 'error burst', 'restart', 'checkout', 'recovered', 3000)");
    }
  }

  private static void assertUpgraded(PostgresDatabase database) throws SQLException {
    MigrationInfoService info =
        PostgresDatabase.flyway(database.dataSource(), database.secrets().keyHasher())
            .load()
            .info();
    assertThat(info.pending()).isEmpty();
    MigrationInfo newest =
        Arrays.stream(info.all()).reduce((first, second) -> second).orElseThrow();
    assertThat(StateDump.schemaVersion(database))
        .isEqualTo(newest.getVersion().getVersion())
        .isNotEqualTo(OLDER);

    Incident incident =
        new PostgresIncidentStore(database.dataSource()).find("inc_old").orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incident.severity()).isEqualTo(Severity.HIGH);
    assertThat(incident.service()).isEqualTo("checkout");
    assertThat(incident.openedAtMillis()).isEqualTo(1000);
    assertThat(incident.resolvedAtMillis()).isEqualTo(3000);
    assertThat(incident.anomalyCount()).isEqualTo(3);
    assertThat(incident.series()).containsExactly("error_rate{service=\"checkout\"}");
    assertThat(incident.resolution()).isEqualTo("restarted checkout");

    PostgresAuditTrail audit = new PostgresAuditTrail(database.dataSource(), database.secrets());
    assertThat(audit.verify()).isInstanceOf(Verification.Intact.class);
    assertThat(((Verification.Intact) audit.verify()).entriesChecked()).isEqualTo(2);

    // Migration 32 peppered the old hash: the same secret still authenticates, as the same key.
    PostgresApiKeyStore keys =
        new PostgresApiKeyStore(
            database.dataSource(), audit, Clock.systemUTC(), database.secrets().keyHasher());
    assertThat(keys.authenticate(SECRET))
        .hasValueSatisfying(
            key -> {
              assertThat(key.id()).isEqualTo("key_old");
              assertThat(key.role()).isEqualTo(Role.OPERATOR);
            });

    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT count(*) FROM incident_events")).isEqualTo("1");
      assertThat(single(statement, "SELECT state FROM workflow_cases")).isEqualTo("done");
      assertThat(single(statement, "SELECT recovery FROM lessons WHERE cause = 'error burst'"))
          .isEqualTo("recovered");
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as(sql).isTrue();
      return rows.getString(1);
    }
  }
}
