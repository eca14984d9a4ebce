package dev.sentinel.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Prerequisites;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    Prerequisites.require(
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
    assertThat(output).contains("SUCCESS: 17 rules found");
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
            "rate(sentinel_ingest_points_total[10m])) == 0",
            "sentinel_kafka_consumer_lag) > 10000",
            "sentinel_kafka_records_deadlettered_total",
            "sentinel_kafka_warmup_failures_total",
            "sentinel_notifications_total{outcome=\"failed\"}",
            "sentinel_notifications_total{outcome=\"retried\"}",
            "sentinel_notifications_outbox{status=\"pending\"}",
            "sentinel_llm_failures_total{reason=\"budget\"}",
            "sentinel_llm_tasks_total{by=\"rules\"}");
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
            "sentinel_alerts_received_total",
            "sentinel_kafka_consumer_lag{",
            "sentinel_kafka_records_consumed_total",
            "sentinel_kafka_points_consumed_total",
            "sentinel_kafka_records_deadlettered_total",
            "sentinel_kafka_pauses_total",
            "sentinel_kafka_warmup_series_total",
            "sentinel_notifications_total",
            "sentinel_notifications_outbox{",
            "sentinel_llm_tasks_total",
            "sentinel_llm_failures_total",
            "sentinel_llm_tokens_total",
            "sentinel_llm_cost_usd_total",
            "sentinel_llm_daily_spent_usd",
            "sentinel_llm_latency_seconds_sum",
            "sentinel_llm_task_cost_usd_count",
            "sentinel_incidents_deduplicated_total",
            "sentinel_health_status{instance=~\"$instance\",component=\"memory\"}");
    List<String> rows = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        rows.add(panel.get("title").asText());
      }
    }
    assertThat(rows).contains("Kafka", "Notifications", "LLM", "Semantic memory");
  }

  /**
   * Every {@code sentinel_*} name the dashboard queries and the rules read is one Sentinel exports:
   * the names Micrometer's Prometheus registry makes of the meters registered in the main sources
   * ({@code Counter.builder("sentinel.kafka.pauses")} is {@code sentinel_kafka_pauses_total}, a
   * timer adds {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max}, and {@code
   * _seconds_bucket} only with a percentile histogram). A misspelt name would chart nothing and
   * alert never.
   */
  @Test
  void every_sentinel_metric_the_dashboard_and_the_rules_name_is_registered() throws Exception {
    Set<String> exported = exportedNames(Path.of(".."));
    assertThat(exported)
        .as("meters found in ../sentinel-*/src/main/java")
        .contains(
            "sentinel_kafka_consumer_lag",
            "sentinel_notifications_total",
            "sentinel_detect_batch_duration_seconds_bucket",
            "sentinel_llm_latency_seconds_count")
        .doesNotContain("sentinel_llm_latency_seconds_bucket");

    JsonNode dashboard =
        new ObjectMapper().readTree(DEPLOY.resolve("grafana/sentinel-dashboard.json").toFile());
    StringBuilder expressions = new StringBuilder();
    for (JsonNode panel : dashboard.get("panels")) {
      panel.path("targets").forEach(t -> expressions.append(t.get("expr").asText()).append('\n'));
    }
    Map<String, String> used = new TreeMap<>();
    usedNames(expressions.toString(), "the dashboard", used);
    usedNames(Files.readString(DEPLOY.resolve("prometheus/sentinel-rules.yml")), "the rules", used);
    assertThat(used).hasSizeGreaterThan(30);

    List<String> unknown = new ArrayList<>();
    used.forEach(
        (name, where) -> {
          if (!exported.contains(name)) {
            unknown.add(name + " (in " + where + ", meter " + base(name) + ")");
          }
        });
    assertThat(unknown).as("names no meter in the main sources exports").isEmpty();
  }

  private static final Pattern USED = Pattern.compile("\\bsentinel_[a-z0-9_]+");

  /** A meter's registration: its kind, then its name as a string literal. */
  private static final Pattern REGISTERED =
      Pattern.compile(
          "(Counter\\.builder|Gauge\\.builder|Timer\\.builder|DistributionSummary\\.builder"
              + "|\\.counter|\\.gauge|\\.timer|\\.summary)\\(\\s*\"(sentinel[._][a-z0-9._]+)\"");

  private static void usedNames(String text, String where, Map<String, String> used) {
    Matcher matcher = USED.matcher(text);
    while (matcher.find()) {
      used.merge(matcher.group(), where, (a, b) -> a.equals(b) ? a : a + " and " + b);
    }
  }

  /** The meter name a Prometheus name comes from, for the failure message. */
  private static String base(String name) {
    return name.replaceFirst("_(total|bucket|count|sum|max)$", "")
        .replaceFirst("_(seconds|bytes)$", "")
        .replace('_', '.');
  }

  /** The Prometheus names of every meter registered in the main sources of the modules. */
  private static Set<String> exportedNames(Path root) throws Exception {
    List<Path> modules;
    try (Stream<Path> children = Files.list(root)) {
      modules = children.filter(m -> m.getFileName().toString().startsWith("sentinel-")).toList();
    }
    List<Path> sources = new ArrayList<>();
    for (Path module : modules) {
      Path main = module.resolve("src/main/java");
      if (Files.isDirectory(main)) {
        try (Stream<Path> files = Files.walk(main)) {
          files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
        }
      }
    }
    Set<String> exported = new TreeSet<>();
    for (Path source : sources) {
      String text = Files.readString(source);
      Matcher matcher = REGISTERED.matcher(text);
      while (matcher.find()) {
        String kind = matcher.group(1);
        String name = matcher.group(2).replace('.', '_');
        int register = text.indexOf("register(", matcher.end());
        String chain = text.substring(matcher.end(), register < 0 ? text.length() : register);
        boolean histogram =
            chain.contains("publishPercentileHistogram")
                || chain.contains("serviceLevelObjectives");
        if (kind.endsWith("ounter.builder") || kind.equals(".counter")) {
          exported.add(name + "_total");
        } else if (kind.endsWith("auge.builder") || kind.equals(".gauge")) {
          exported.add(name);
        } else {
          String unit = kind.startsWith("Timer") || kind.equals(".timer") ? "_seconds" : "";
          List<String> suffixes =
              histogram
                  ? List.of("_count", "_sum", "_max", "_bucket")
                  : List.of("_count", "_sum", "_max");
          for (String suffix : suffixes) {
            exported.add(name + unit + suffix);
          }
        }
      }
    }
    return exported;
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
