package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup round trip with real processes: {@code sentinel backup} beside a running demo, {@code
 * sentinel restore} into a new data directory, and a Sentinel started on it that serves the same
 * incidents, accepts the same API keys and has an intact audit trail. A second backup, taken with
 * Sentinel stopped, carries the DuckDB telemetry history too.
 */
class BackupRestoreIT {

  private static final String ADMIN = "snt_backup_test_admin_key_0123456789abcd";
  private static final Pattern INTACT = Pattern.compile("audit trail intact: (\\d+) entr");

  @TempDir Path work;

  @Test
  void a_backup_of_a_running_demo_restores_into_a_sentinel_with_the_same_incidents_and_keys()
      throws Exception {
    Path original = work.resolve("original");
    Path live = work.resolve("live.backup");
    Path stopped = work.resolve("stopped.backup");
    Set<String> incidents;
    String operatorKey;
    long auditEntries;
    try (SentinelProcess demo =
        SentinelProcess.start(
            Map.of("SENTINEL_DEMO_FIRST_FAULT_SECONDS", "2", "SENTINEL_ADMIN_KEY", ADMIN),
            "run",
            "--demo",
            "--port",
            "0",
            "--data-dir",
            original.toString())) {
      SentinelApi api = new SentinelApi(demo.awaitReady(Duration.ofSeconds(90)), ADMIN);
      api.await(
          "/api/v1/incidents?service=checkout",
          body -> body.get("count").asInt() > 0,
          Duration.ofSeconds(150));
      api.await(
          "/health/detailed",
          body -> body.at("/components/memory/details/documents").asLong() > 0,
          Duration.ofSeconds(120));
      operatorKey = api.createKey("restored operator", "operator");
      incidents = ids(api.get("/api/v1/incidents?limit=500").body());
      auditEntries = entries(cli("audit", "verify", "--data-dir", original.toString()));

      Cli backup = cli("backup", "--to", live.toString(), "--data-dir", original.toString());
      assertThat(backup.exit()).as(backup.output()).isZero();
      assertThat(backup.output())
          .contains("backup written to " + live)
          .contains("incident memory: ")
          .contains("telemetry history: NOT included: a running Sentinel holds");
      assertThat(Files.getPosixFilePermissions(live).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE]");
      assertThat(demo.stop(Duration.ofSeconds(60))).isTrue();
    }

    Cli offline = cli("backup", "--to", stopped.toString(), "--data-dir", original.toString());
    assertThat(offline.exit()).as(offline.output()).isZero();
    assertThat(offline.output()).contains("telemetry history: included");

    Cli refused = cli("restore", "--from", live.toString(), "--data-dir", original.toString());
    assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("is not empty").contains("--force");

    Path restored = work.resolve("restored");
    Cli restore = cli("restore", "--from", live.toString(), "--data-dir", restored.toString());
    assertThat(restore.exit()).as(restore.output()).isZero();
    assertThat(restore.output()).contains("telemetry history: none in the backup");
    try (DirectoryReader memory =
        DirectoryReader.open(FSDirectory.open(restored.resolve("memory")))) {
      assertThat(memory.numDocs()).isPositive();
    }

    try (SentinelProcess sentinel =
        SentinelProcess.start(Map.of(), "run", "--port", "0", "--data-dir", restored.toString())) {
      String base = sentinel.awaitReady(Duration.ofSeconds(90));
      SentinelApi operator = new SentinelApi(base, operatorKey);
      JsonNode listed = operator.get("/api/v1/incidents?limit=500").body();
      assertThat(ids(listed)).containsAll(incidents);
      String first = incidents.iterator().next();
      assertThat(operator.get("/api/v1/incidents/" + first).status()).isEqualTo(200);
      assertThat(new SentinelApi(base, ADMIN).get("/api/v1/keys").status()).isEqualTo(200);
      assertThat(
              new SentinelApi(base, "snt_not_a_key_of_this_installation_00000")
                  .get("/api/v1/incidents")
                  .status())
          .isEqualTo(401);
      assertThat(sentinel.log()).doesNotContain("Admin API key (shown once)");

      Cli verify = cli("audit", "verify", "--data-dir", restored.toString());
      assertThat(verify.exit()).as(verify.output()).isZero();
      assertThat(entries(verify)).isGreaterThanOrEqualTo(auditEntries);
      assertThat(sentinel.stop(Duration.ofSeconds(60))).isTrue();
    }

    // The offline backup over a directory that is not empty: --force, and the history comes back.
    Cli forced =
        cli("restore", "--from", stopped.toString(), "--force", "--data-dir", restored.toString());
    assertThat(forced.exit()).as(forced.output()).isZero();
    assertThat(forced.output()).contains("telemetry history: restored");
    try (SentinelProcess sentinel =
        SentinelProcess.start(
            Map.of("SENTINEL_ADMIN_KEY", ADMIN),
            "run",
            "--port",
            "0",
            "--data-dir",
            restored.toString())) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(90)), ADMIN);
      String series =
          URLEncoder.encode(
              "error_rate{env=\"demo\",host=\"checkout-1\",service=\"checkout\"}",
              StandardCharsets.UTF_8);
      JsonNode history =
          api.get("/api/v1/series/history?series=" + series + "&since=6h&step=1h").body();
      assertThat(history.at("/percentiles/count").asLong()).isGreaterThanOrEqualTo(300);
      assertThat(ids(api.get("/api/v1/incidents?limit=500").body())).containsAll(incidents);
    }
  }

  private static Set<String> ids(JsonNode listing) {
    Set<String> ids = new TreeSet<>();
    listing.get("incidents").forEach(incident -> ids.add(incident.get("id").asText()));
    assertThat(ids).isNotEmpty();
    return ids;
  }

  private static long entries(Cli verify) {
    Matcher matcher = INTACT.matcher(verify.output());
    assertThat(matcher.find()).as(verify.output()).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  record Cli(int exit, String output) {}

  private static Cli cli(String... args) throws Exception {
    SentinelProcess process = SentinelProcess.start(Map.of(), args);
    boolean ended = process.process().waitFor(120, TimeUnit.SECONDS);
    assertThat(ended).as("the CLI ended: " + process.log()).isTrue();
    Thread.sleep(200);
    return new Cli(process.process().exitValue(), process.log());
  }
}
