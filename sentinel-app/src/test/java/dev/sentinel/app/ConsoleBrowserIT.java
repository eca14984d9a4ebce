package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Prerequisites;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: headless Chromium driven by playwright-core (a node script,
 * {@code console/console-test.cjs}) against a real {@code sentinel run --demo}. A viewer sees the
 * incident but the server refuses its approval; an operator opens it, sees its chart, acknowledges
 * it and adds a note, approves the step and watches it resolve. Screenshots go to {@code
 * target/console-screenshots} ({@code docs/} holds copies).
 *
 * <p>Needs Chromium and playwright-core: {@code scripts/console-browser.sh} (sourced by test.sh)
 * installs them and sets {@code SENTINEL_TEST_PLAYWRIGHT_DIR}.
 */
class ConsoleBrowserIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "snt_console_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @TempDir Path dataDir;

  @Test
  void an_operator_approves_in_the_browser_and_sees_the_incident_resolve_a_viewer_cannot()
      throws Exception {
    String playwright = System.getenv("SENTINEL_TEST_PLAYWRIGHT_DIR");
    Prerequisites.require(
        playwright != null
            && Files.isDirectory(Path.of(playwright, "node_modules", "playwright-core")),
        "SENTINEL_TEST_PLAYWRIGHT_DIR is not set: source scripts/services.sh (test.sh does)");
    Path config = dataDir.resolve("sentinel.yaml");
    Files.writeString(
        config,
        """
        server:
          console:
            grafanaUrl: "https://grafana.example/explore?expr={series}&from={from}&to={to}"
            runbookUrl: "https://git.example/runbooks/{file}"
        remediation:
          playbook:
            plays:
              error-burst: [{operation: restart, parameters: {}, downtimeSeconds: 600, radius: SERVICE}]
        """);
    Map<String, String> environment =
        Map.of(
            "SENTINEL_ADMIN_KEY", ADMIN,
            "SENTINEL_DEMO_AUTO_FAULTS", "false",
            "SENTINEL_DEMO_BACKFILL_HOURS", "6",
            "SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8");
    try (SentinelProcess sentinel =
        SentinelProcess.start(
            environment,
            "run",
            "--demo",
            "--port",
            "0",
            "--data-dir",
            dataDir.toString(),
            "--config",
            config.toString())) {
      String base = sentinel.awaitReady(Duration.ofSeconds(60));
      SentinelApi admin = new SentinelApi(base, ADMIN);
      String operator = admin.createKey("olivia", "operator");
      String viewer = admin.createKey("victor", "viewer");
      admin.injectFault("error_burst", "checkout");
      String id = admin.awaitIncident("checkout", PATIENCE);
      admin.awaitStatus(id, "awaiting_approval", PATIENCE);

      Path screenshots = Path.of("target", "console-screenshots").toAbsolutePath();
      Files.createDirectories(screenshots);
      Path script = dataDir.resolve("console-test.cjs");
      try (InputStream in = getClass().getResourceAsStream("/console/console-test.cjs")) {
        Files.copy(in, script);
      }
      ProcessBuilder node = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
      node.environment().put("NODE_PATH", Path.of(playwright, "node_modules").toString());
      node.environment().put("BASE", base);
      node.environment().put("VIEWER_KEY", viewer);
      node.environment().put("OPERATOR_KEY", operator);
      node.environment().put("INCIDENT", id);
      node.environment().put("SCREENSHOTS", screenshots.toString());
      Process browser = node.start();
      String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(browser.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(browser.exitValue()).as(output).isZero();

      JsonNode found =
          JSON.readTree(
              output
                  .lines()
                  .filter(line -> line.startsWith("{"))
                  .reduce((a, b) -> b)
                  .orElseThrow());
      assertThat(found.get("rootLandsOn").asText())
          .as("/ leads to the console")
          .isEqualTo("/console");
      assertThat(found.get("menuBeforeSignIn").asBoolean()).as("menu before sign-in").isFalse();
      assertThat(found.get("menuAfterSignIn").asBoolean()).isTrue();
      assertThat(found.get("badKeyRefused").asBoolean()).isTrue();
      // The list: a title from the first anomaly, an age in seconds or minutes (it is fresh).
      assertThat(found.get("listedTitle").asText()).matches("\\S+ .*anomalous on checkout");
      assertThat(found.get("listedAge").asText()).matches("\\d+ (s|min)");
      assertThat(found.get("severityFilteredOut").asBoolean()).isTrue();
      // The same words on the incident page (more series may have joined by then).
      assertThat(found.get("pageTitle").asText()).endsWith("anomalous on checkout");
      assertThat(found.get("listedStatus").asText()).isEqualTo("awaiting approval");
      assertThat(found.get("viewerApproveStatus").asInt()).isEqualTo(403);
      assertThat(found.get("filteredOut").asBoolean()).isTrue();
      assertThat(found.get("filteredIn").asBoolean()).isTrue();
      assertThat(found.get("anomaliesOnChart").asInt()).isPositive();
      assertThat(found.get("expectedBand").asInt()).isPositive();
      // The chart: the incident's series overlaid, each with a legend entry and a Grafana link.
      assertThat(found.get("legendSeries").asInt()).isPositive();
      assertThat(found.get("chartLines").asInt()).isPositive();
      assertThat(found.get("lineColours").asInt()).isEqualTo(found.get("chartLines").asInt());
      assertThat(found.get("grafanaLink").asText())
          .startsWith("https://grafana.example/explore?expr=")
          .matches(".*&from=\\d{13}&to=\\d{13}");
      assertThat(found.get("openedMarker").asInt()).isEqualTo(1);
      assertThat(found.get("zoomInHalves").asDouble())
          .as("zoom in halves the window")
          .isEqualTo(0.5);
      assertThat(found.get("zoomResetSpan").asDouble()).isBetween(0.95, 1.1);
      assertThat(found.get("dragZoom").asDouble()).as("dragging a fifth").isBetween(0.15, 0.3);
      assertThat(found.get("lastHour").asBoolean()).isTrue();
      assertThat(found.get("firstDrawn").asBoolean()).isTrue();
      assertThat(found.get("hidFirst").asBoolean()).isTrue();
      // Without runbooks in memory the analysis cites none; a cited one is a link.
      assertThat(found.get("runbookLinks").asInt() > 0)
          .isEqualTo(found.get("runbookCited").asBoolean());
      assertThat(found.get("actionMarkers").asInt()).isPositive();
      assertThat(found.get("actionMarkerTitle").asText()).startsWith("action at ");
      assertThat(found.get("resolvedColours").asInt())
          .isEqualTo(found.get("resolvedLines").asInt());
      assertThat(found.get("incidentOverflowAt390").asInt())
          .as("incident page at 390 px")
          .isLessThanOrEqualTo(0);
      assertThat(found.get("listOverflowAt390").asInt())
          .as("list at 390 px")
          .isLessThanOrEqualTo(0);
      assertThat(found.get("titleVisibleAt390").asBoolean()).isTrue();
      assertThat(found.get("planRisk").asText()).isEqualTo("HIGH");
      assertThat(found.get("handling").asText())
          .contains("Owner: sentinel")
          .contains("acknowledged by olivia");
      assertThat(found.get("acknowledgeOffered").asInt()).as("acknowledged once").isZero();
      assertThat(found.get("noted").asBoolean()).isTrue();
      assertThat(found.get("finalStatus").asText()).isEqualTo("resolved");
      assertThat(found.get("timeline").asBoolean()).isTrue();
      assertThat(found.get("strayNull").asBoolean()).isFalse();
      assertThat(found.get("auditRows").asInt()).isEqualTo(1);
      assertThat(found.get("auditText").asText()).contains("olivia").contains("approval.granted");
      assertThat(found.get("healthText").asText()).contains("stateStore").contains("notifications");
      assertThat(screenshots.resolve("console-incidents.png")).isNotEmptyFile();
      assertThat(screenshots.resolve("console-incident.png")).isNotEmptyFile();
      assertThat(screenshots.resolve("console-login.png")).isNotEmptyFile();
      assertThat(screenshots.resolve("console-incidents-390.png")).isNotEmptyFile();
      assertThat(screenshots.resolve("console-incident-390.png")).isNotEmptyFile();

      // What the server recorded: the operator's approval, and the viewer's attempt refused.
      JsonNode incident = admin.get("/api/v1/incidents/" + id).body();
      assertThat(incident.at("/incident/status").asText()).isEqualTo("resolved");
      List<String> approvals = new ArrayList<>();
      for (JsonNode entry :
          admin
              .get("/api/v1/audit?incident=" + id + "&action=approval.granted")
              .body()
              .get("entries")) {
        approvals.add(entry.get("actor").asText());
      }
      assertThat(approvals).singleElement().asString().contains("olivia");
    }
  }
}
