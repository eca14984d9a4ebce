package dev.sentinel.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code deploy/}: Prometheus' alerting rules for Sentinel pass {@code promtool check
 * rules} (Debian's prometheus package; skipped without it), and the Grafana dashboard is a
 * dashboard whose every panel queries Sentinel's metrics.
 */
class DeployFilesTest {

  private static final Path DEPLOY = Path.of("..", "deploy");

  private static Optional<Path> onPath(String binary) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Test
  void the_alerting_rules_pass_promtool_check_rules() throws Exception {
    Optional<Path> promtool = onPath("promtool");
    Assumptions.assumeTrue(
        promtool.isPresent(),
        "no promtool on the PATH: run scripts/prometheus.sh (Debian's prometheus package)");
    Path rules = DEPLOY.resolve("prometheus/sentinel-rules.yml");
    Process check =
        new ProcessBuilder(promtool.get().toString(), "check", "rules", rules.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).contains("SUCCESS: 9 rules found");
  }

  @Test
  void the_rules_cover_what_an_operator_must_hear_about() throws Exception {
    String rules = Files.readString(DEPLOY.resolve("prometheus/sentinel-rules.yml"));
    assertThat(rules)
        .contains(
            "status=~\"429|503\"",
            "sentinel_bus_queued_points / sentinel_bus_capacity_points",
            "sentinel_health_status{component=\"telemetryStore\"}",
            "sentinel_telemetry_dropped_points_total",
            "sentinel_approval_breaker_open",
            "sentinel_workflow_step_duration_seconds_count{outcome=\"error\"}",
            "rate(sentinel_ingest_points_total[10m])) == 0");
  }

  @Test
  void the_dashboard_is_grafana_json_whose_panels_query_sentinel_metrics() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(DEPLOY.resolve("grafana/sentinel-dashboard.json").toFile());
    assertThat(dashboard.get("title").asText()).isEqualTo("Sentinel");
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
    }
    assertThat(String.join("\n", expressions))
        .contains(
            "sentinel_ingest_points_total",
            "sentinel_bus_queued_points",
            "sentinel_detect_batch_duration_seconds_bucket",
            "sentinel_incidents{",
            "sentinel_workflow_step_duration_seconds_bucket",
            "sentinel_workflow_approvals_total",
            "sentinel_workflow_actions_total",
            "sentinel_workflow_rollbacks_total",
            "sentinel_alerts_received_total");
  }

  @Test
  void the_scale_out_configuration_loads_and_names_kafka_clickhouse_and_postgresql() {
    var config =
        new dev.sentinel.app.config.ConfigLoader()
            .load(DEPLOY.resolve("config/scale-out.yaml"), java.util.Map.of());
    assertThat(config.bus().usesKafka()).isTrue();
    assertThat(config.bus().kafka().groupId()).isEqualTo("sentinel-prod");
    assertThat(config.telemetry().store()).isEqualTo("clickhouse");
    assertThat(config.state().url()).startsWith("jdbc:postgresql://");
  }
}
