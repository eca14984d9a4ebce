package dev.sentinel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.postgres.PostgresApiKeyStore;
import dev.sentinel.postgres.PostgresAuditTrail;
import dev.sentinel.postgres.PostgresConfig;
import dev.sentinel.postgres.PostgresDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sentinel keys …} and {@code sentinel audit …} against a data directory, alone and while a
 * Sentinel (here: its bundled PostgreSQL, opened as {@code sentinel run} opens it) is running.
 */
class StateCommandsTest {

  private static final Pattern SECRET = Pattern.compile("^(snt_\\S+)\\R$");
  private static final Pattern ID = Pattern.compile("(?m)^created key (key_\\S+) ");

  @TempDir Path dataDir;

  private record Result(int exit, String out, String err) {}

  private Result sentinel(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command =
        new CommandLine(new SentinelCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
    String[] withDir = new String[args.length + 2];
    System.arraycopy(args, 0, withDir, 0, args.length);
    withDir[args.length] = "--data-dir";
    withDir[args.length + 1] = dataDir.toString();
    int exit = command.execute(withDir);
    return new Result(exit, out.toString(), err.toString());
  }

  private static String group(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as(text).isTrue();
    return matcher.group(1);
  }

  @Test
  void keys_are_created_listed_and_revoked_from_the_command_line() {
    Result created = sentinel("keys", "create", "--role", "operator", "--name", "deploy bot");
    assertThat(created.exit()).as(created.err()).isZero();
    String id = group(ID, created.err());
    assertThat(created.err()).contains("sentinel: using bundled PostgreSQL on 127.0.0.1:");
    group(SECRET, created.out()); // standard output is the secret and nothing else
    assertThat(created.err()).contains("role operator").contains("not shown again");

    Result listed = sentinel("keys", "list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out()).contains(id).contains("operator").contains("deploy bot");
    assertThat(listed.out()).doesNotContain("snt_");

    assertThat(sentinel("keys", "revoke", id).out()).contains("revoked " + id);
    Result again = sentinel("keys", "revoke", id);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("no active API key with id '" + id + "'");
    assertThat(sentinel("keys", "list").out()).containsPattern(id + " +operator +\\S+Z +\\S+Z");
  }

  @Test
  void while_sentinel_runs_the_commands_share_its_bundled_server() throws Exception {
    try (PostgresDatabase running = PostgresDatabase.open(PostgresConfig.defaults(), dataDir)) {
      String pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst();
      PostgresAuditTrail audit = new PostgresAuditTrail(running.dataSource(), running.secrets());
      PostgresApiKeyStore keys =
          new PostgresApiKeyStore(
              running.dataSource(), audit, Clock.systemUTC(), running.secrets().keyHasher());

      Result created = sentinel("keys", "create", "--role", "viewer", "--name", "grafana");
      assertThat(created.exit()).as(created.err()).isZero();
      assertThat(created.err())
          .as("it says which way it went")
          .contains("sentinel: using the running Sentinel's bundled PostgreSQL");
      assertThat(keys.authenticate(group(SECRET, created.out())))
          .as("the running instance sees the key at once")
          .isPresent();
      assertThat(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst())
          .as("the same server still runs")
          .isEqualTo(pid);

      assertThat(sentinel("audit", "verify").out())
          .isEqualTo("audit trail intact: 1 entry (sequence 1..1)\n");
      assertThat(audit.find(dev.sentinel.audit.AuditQuery.all(10)).getFirst().record().actor())
          .startsWith("cli:");

      try (Connection connection = running.dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 1");
      }
      Result broken = sentinel("audit", "verify");
      assertThat(broken.exit()).isEqualTo(1);
      assertThat(broken.out()).startsWith("audit trail BROKEN at entry 1: ").contains("altered");
    }
  }

  @Test
  void audit_verify_finds_the_newest_entries_cut_with_the_database_head_moved_back()
      throws Exception {
    try (PostgresDatabase running = PostgresDatabase.open(PostgresConfig.defaults(), dataDir)) {
      PostgresAuditTrail audit = new PostgresAuditTrail(running.dataSource(), running.secrets());
      for (int i = 1; i <= 5; i++) {
        audit.append(
            AuditRecord.of(i * 1000L, "sentinel", AuditAction.ACTION_EXECUTED, "inc-1", Map.of()));
      }
      String third = audit.find(dev.sentinel.audit.AuditQuery.all(10)).get(2).hash();
      try (Connection connection = running.dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("DELETE FROM audit_log WHERE sequence > 3");
        statement.execute("UPDATE audit_head SET last_sequence = 3, last_hash = '" + third + "'");
      }

      Result broken = sentinel("audit", "verify");

      assertThat(broken.exit()).isEqualTo(1);
      assertThat(broken.out())
          .startsWith("audit trail BROKEN at entry 4: ")
          .contains("wrote entry 5");
    }
  }

  @Test
  void audit_prune_removes_old_entries_and_the_rest_still_verifies() throws Exception {
    try (PostgresDatabase running = PostgresDatabase.open(PostgresConfig.defaults(), dataDir)) {
      PostgresAuditTrail audit = new PostgresAuditTrail(running.dataSource(), running.secrets());
      long day = 86_400_000L;
      long now = System.currentTimeMillis();
      for (int age : new int[] {200, 120, 95, 10, 1}) {
        audit.append(
            AuditRecord.of(
                now - age * day, "sentinel", AuditAction.ACTION_EXECUTED, "inc-1", Map.of()));
      }
      Result pruned = sentinel("audit", "prune", "--before", "90d");
      assertThat(pruned.exit()).as(pruned.err()).isZero();
      assertThat(pruned.out()).startsWith("removed 3 audit entries from before ");
      assertThat(sentinel("audit", "verify").out())
          .isEqualTo("audit trail intact: 3 entries (sequence 4..6)\n");
    }
  }

  @Test
  void bad_arguments_and_configuration_exit_2_with_the_reason() throws Exception {
    Result role = sentinel("keys", "create", "--role", "root", "--name", "x");
    assertThat(role.exit()).isEqualTo(2);
    assertThat(role.err()).contains("role must be one of ingest, viewer, operator, admin");

    Result before = sentinel("audit", "prune", "--before", "yesterday");
    assertThat(before.exit()).isEqualTo(2);
    assertThat(before.err()).contains("--before must be an age in days (90d)");
    assertThat(Files.exists(dataDir.resolve("postgres"))).as("nothing was started").isFalse();

    Path config = Files.writeString(dataDir.resolve("bad.yaml"), "state:\n  poolSize: 0\n");
    Result bad = sentinel("keys", "list", "--config", config.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("poolSize must be in 1..200");

    Result name = sentinel("keys", "create", "--role", "viewer", "--name", " ");
    assertThat(name.exit()).isEqualTo(2);
    assertThat(name.err()).contains("name must not be blank");
  }
}
