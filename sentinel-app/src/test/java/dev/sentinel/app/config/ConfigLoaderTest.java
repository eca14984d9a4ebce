package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("sentinel.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void no_file_and_no_environment_gives_the_defaults() {
    assertThat(loader.load(null, Map.of())).isEqualTo(SentinelConfig.defaults());
  }

  @Test
  void a_file_overrides_only_what_it_names() throws IOException {
    SentinelConfig config =
        loader.load(yaml("server:\n  port: 9090\nbus:\n  partitions: 3\n"), Map.of());
    assertThat(config.server().port()).isEqualTo(9090);
    assertThat(config.server().host()).isEqualTo(ServerConfig.defaults().host());
    assertThat(config.bus().partitions()).isEqualTo(3);
    assertThat(config.bus().capacityPoints()).isEqualTo(BusConfig.defaults().capacityPoints());
  }

  @Test
  void sentinel_s_own_metrics_are_left_out_of_detection_unless_the_file_asks_for_them()
      throws IOException {
    assertThat(loader.load(null, Map.of()).detection().resolve("sentinel_ingest_points_total"))
        .extracting(detection -> detection.detectors())
        .isEqualTo(java.util.Set.of());
    SentinelConfig judged = loader.load(yaml("detection:\n  ownMetrics: true\n"), Map.of());
    assertThat(judged.detection().resolve("sentinel_ingest_points_total").detectors())
        .isEqualTo(judged.detection().defaults().detectors())
        .isNotEmpty();
  }

  @Test
  void environment_variables_override_the_file_and_find_camel_case_keys() throws IOException {
    SentinelConfig config =
        loader.load(
            yaml("server:\n  port: 9090\n"),
            Map.of(
                "SENTINEL_SERVER_PORT", "7070",
                "SENTINEL_BUS_CAPACITY_POINTS", "5000",
                "SENTINEL_INCIDENTS_GROUP_BY", "service, cluster",
                "SENTINEL_DEMO_ENABLED", "true",
                "SENTINEL_ADMIN_KEY", "not-a-config-key",
                "SENTINEL_RUNTIME_DIR", "/var/lib/sentinel/runtime",
                "SENTINEL_AUDIT_KEY", "a".repeat(32),
                "SENTINEL_API_KEY_PEPPER", "p".repeat(32),
                "PATH", "/usr/bin"));
    assertThat(config.server().port()).isEqualTo(7070);
    assertThat(config.bus().capacityPoints()).isEqualTo(5000);
    assertThat(config.incidents().groupBy()).containsExactly("service", "cluster");
    assertThat(config.demo().enabled()).isTrue();
  }

  @Test
  void rates_are_on_by_default_and_switched_off_by_file_or_environment() throws IOException {
    assertThat(loader.load(null, Map.of()).server().cumulativeAsRate()).isTrue();
    assertThat(
            loader
                .load(yaml("server:\n  cumulativeAsRate: false\n"), Map.of())
                .server()
                .cumulativeAsRate())
        .isFalse();
    assertThat(
            loader
                .load(null, Map.of("SENTINEL_SERVER_CUMULATIVE_AS_RATE", "false"))
                .server()
                .cumulativeAsRate())
        .isFalse();
  }

  @Test
  void an_unknown_key_in_the_file_is_named_with_the_known_ones() throws IOException {
    Path file = yaml("bus:\n  capacity: 10\n");
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key 'bus.capacity'")
        .hasMessageContaining("partitions, capacityPoints");
  }

  @Test
  void an_unknown_environment_variable_is_refused() {
    assertThatThrownBy(() -> loader.load(null, Map.of("SENTINEL_SERVER_PROT", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SENTINEL_SERVER_PROT")
        .hasMessageContaining("under 'server'");
  }

  @Test
  void an_invalid_value_names_its_key_and_the_rule() throws IOException {
    Path file = yaml("server:\n  port: 70000\n");
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'server'")
        .hasMessageContaining("port must be in 0..65535, was 70000");
  }

  @Test
  void a_value_of_the_wrong_type_names_its_key() {
    assertThatThrownBy(() -> loader.load(null, Map.of("SENTINEL_BUS_PARTITIONS", "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bus.partitions");
  }

  @Test
  void a_wrong_value_is_named_with_the_expected_form_and_no_java_type() throws IOException {
    assertThatThrownBy(() -> loader.load(null, Map.of("SENTINEL_BUS_PARTITIONS", "many")))
        .hasMessage("invalid configuration at 'bus.partitions': \"many\" is not a whole number");
    assertThatThrownBy(() -> loader.load(yaml("incidents:\n  windowSeconds: soon\n"), Map.of()))
        .hasMessage(
            "invalid configuration at 'incidents.windowSeconds': \"soon\" is not a whole number of"
                + " seconds or a duration such as 30s, 5m or 2h");
    assertThatThrownBy(() -> loader.load(yaml("incidents:\n  groupBy: {a: 1}\n"), Map.of()))
        .hasMessageContaining("'incidents.groupBy'")
        .hasMessageContaining("is not a list")
        .hasMessageNotContaining("java.")
        .hasMessageNotContaining("`");
    assertThatThrownBy(() -> loader.load(yaml("auth:\n  enabled: maybe\n"), Map.of()))
        .hasMessage("invalid configuration at 'auth.enabled': \"maybe\" is not true or false");
  }

  @Test
  void durations_take_units_and_a_duration_that_is_not_whole_in_its_key_unit_is_refused()
      throws IOException {
    SentinelConfig config =
        loader.load(
            yaml(
                "incidents:\n  windowSeconds: 5m\n  quietResolveSeconds: 2h\n"
                    + "  desk:\n    retryMaxMillis: 2s\n"),
            Map.of("SENTINEL_REMEDIATION_VERIFY_WINDOW_SECONDS", "90s"));
    assertThat(config.incidents().windowSeconds()).isEqualTo(300);
    assertThat(config.incidents().quietResolveSeconds()).isEqualTo(7200);
    assertThat(config.incidents().desk().retryMaxMillis()).isEqualTo(2000);
    assertThat(config.remediation().verify().windowSeconds()).isEqualTo(90);
    assertThat(loader.load(yaml("incidents:\n  windowSeconds: 120\n"), Map.of()).incidents())
        .extracting(c -> c.windowSeconds())
        .isEqualTo(120L);
    assertThatThrownBy(() -> loader.load(yaml("incidents:\n  windowSeconds: 1500ms\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "'incidents.windowSeconds' is 1500ms: it counts whole seconds; write a number or a"
                + " duration in whole seconds");
  }

  @Test
  void conflicting_values_are_explained() throws IOException {
    Path file = yaml("demo:\n  defectiveVersions: [checkout]\n");
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .hasMessageContaining("defectiveVersions entries must be service:version, was 'checkout'");
  }

  @Test
  void a_missing_file_is_reported() {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"), Map.of()))
        .hasMessageContaining("nope.yaml does not exist");
  }

  @Test
  void broken_yaml_is_reported_with_the_file() throws IOException {
    Path file = yaml("server: [unclosed\n");
    assertThatThrownBy(() -> loader.load(file, Map.of())).hasMessageContaining("is not valid YAML");
  }

  @Test
  void the_state_store_auth_and_audit_sections_take_environment_overrides() {
    SentinelConfig config =
        loader.load(
            null,
            Map.of(
                "SENTINEL_STATE_URL", "jdbc:postgresql://db:5432/sentinel",
                "SENTINEL_STATE_USER", "sentinel",
                "SENTINEL_STATE_PASSWORD", "s3cret",
                "SENTINEL_STATE_POOL_SIZE", "16",
                "SENTINEL_AUTH_ENABLED", "false",
                "SENTINEL_AUDIT_RETENTION_DAYS", "90",
                "SENTINEL_CONFIG", "/etc/sentinel.yaml",
                "SENTINEL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1/test",
                "SENTINEL_TEST_CLICKHOUSE_URL", "http://127.0.0.1:8123"));
    assertThat(config.state().url()).isEqualTo("jdbc:postgresql://db:5432/sentinel");
    assertThat(config.state().user()).isEqualTo("sentinel");
    assertThat(config.state().password()).isEqualTo("s3cret");
    assertThat(config.state().poolSize()).isEqualTo(16);
    assertThat(config.state().bundled()).isFalse();
    assertThat(config.toString()).doesNotContain("s3cret");
    assertThat(config.auth().enabled()).isFalse();
    assertThat(config.audit().retentionDays()).isEqualTo(90);
    assertThat(config.audit().cutoffMillis(100L * 86_400_000L)).hasValue(10L * 86_400_000L);
  }

  @Test
  void by_default_auth_is_on_the_state_store_is_bundled_and_the_audit_trail_is_kept() {
    SentinelConfig config = SentinelConfig.defaults();
    assertThat(config.auth().enabled()).isTrue();
    assertThat(config.state().bundled()).isTrue();
    assertThat(config.audit().cutoffMillis(System.currentTimeMillis())).isEmpty();
  }

  @Test
  void a_bad_state_store_url_is_named() throws IOException {
    Path file = yaml("state:\n  url: mysql://db/sentinel\n");
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'state'")
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void the_telemetry_store_is_duckdb_by_default_and_clickhouse_needs_its_url() throws IOException {
    assertThat(loader.load(null, Map.of()).telemetry().store()).isEqualTo("duckdb");
    SentinelConfig clickhouse =
        loader.load(
            null,
            Map.of(
                "SENTINEL_TELEMETRY_STORE", "clickhouse",
                "SENTINEL_TELEMETRY_CLICKHOUSE_URL", "http://ch:8123",
                "SENTINEL_TELEMETRY_RETENTION_DAYS", "7"));
    assertThat(clickhouse.telemetry().clickhouse().url()).isEqualTo("http://ch:8123");
    assertThat(clickhouse.telemetry().retentionDays()).isEqualTo(7);

    assertThatThrownBy(() -> loader.load(yaml("telemetry:\n  store: clickhouse\n"), Map.of()))
        .hasMessageContaining("telemetry.clickhouse.url is not set");
    assertThatThrownBy(() -> loader.load(yaml("telemetry:\n  store: influx\n"), Map.of()))
        .hasMessageContaining("telemetry.store must be duckdb, clickhouse or none");
    assertThatThrownBy(
            () ->
                loader.load(
                    yaml("telemetry:\n  buffer: {points: 10, batchPoints: 100}\n"), Map.of()))
        .hasMessageContaining("must hold at least one batch");
  }

  @Test
  void the_bus_is_in_process_by_default_and_kafka_needs_its_four_names() throws IOException {
    assertThat(loader.load(null, Map.of()).bus().usesKafka()).isFalse();
    SentinelConfig kafka =
        loader.load(
            null,
            Map.of(
                "SENTINEL_BUS_KIND", "kafka",
                "SENTINEL_BUS_KAFKA_BOOTSTRAP", "k0:9092,k1:9092",
                "SENTINEL_BUS_KAFKA_TOPIC", "telemetry",
                "SENTINEL_BUS_KAFKA_GROUP_ID", "sentinel",
                "SENTINEL_BUS_KAFKA_DEAD_LETTER_TOPIC", "telemetry-dlq",
                "SENTINEL_BUS_KAFKA_CLIENT_PROPERTIES", "security.protocol=SSL,linger.ms=5"));
    assertThat(kafka.bus().usesKafka()).isTrue();
    assertThat(kafka.bus().kafka().groupId()).isEqualTo("sentinel");
    assertThat(kafka.bus().kafka().properties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("linger.ms", "5");
    assertThat(kafka.bus().kafka().warmUpMinutes()).isEqualTo(60);
    assertThat(kafka.bus().kafka().format()).isEqualTo("sentinel");

    assertThatThrownBy(
            () ->
                loader.load(
                    yaml("bus:\n  kind: kafka\n  kafka: {bootstrap: 'k:9092', topic: t}\n"),
                    Map.of()))
        .hasMessageContaining("'bus'")
        .hasMessageContaining("kafka.groupId must be set when bus.kind is kafka");
    assertThatThrownBy(
            () ->
                loader.load(
                    yaml(
                        "bus:\n  kind: kafka\n  kafka: {bootstrap: 'k:9092', topic: t,"
                            + " groupId: g, deadLetterTopic: t}\n"),
                    Map.of()))
        .hasMessageContaining("kafka.deadLetterTopic must differ from kafka.topic");
    assertThatThrownBy(() -> loader.load(yaml("bus:\n  kind: rabbit\n"), Map.of()))
        .hasMessageContaining("kind must be 'inprocess' or 'kafka', was 'rabbit'");
    assertThatThrownBy(
            () -> loader.load(yaml("bus:\n  kafka: {clientProperties: [oops]}\n"), Map.of()))
        .hasMessageContaining("kafka.clientProperties[0] must read name=value, was 'oops'");
  }

  @Test
  void a_kafka_topic_has_one_of_three_formats_and_only_sentinel_json_takes_http_edges()
      throws IOException {
    String complete =
        "bus:\n  kind: kafka\n  kafka: {bootstrap: 'k:9092', topic: t, groupId: g,"
            + " deadLetterTopic: d";
    assertThat(loader.load(yaml(complete + ", format: otlp}\n"), Map.of()).bus().kafka().format())
        .isEqualTo("otlp");
    assertThat(
            loader
                .load(yaml(complete + "}\n"), Map.of("SENTINEL_BUS_KAFKA_FORMAT", "prometheus"))
                .bus()
                .kafka()
                .format())
        .isEqualTo("prometheus");
    assertThatThrownBy(() -> loader.load(yaml(complete + ", format: avro}\n"), Map.of()))
        .hasMessageContaining(
            "kafka.format must be 'sentinel', 'prometheus' or 'otlp', was 'avro'");
    assertThatThrownBy(
            () ->
                loader.load(
                    yaml(complete + ", format: prometheus, publishHttp: true}\n"), Map.of()))
        .hasMessageContaining("kafka.publishHttp needs kafka.format 'sentinel', was 'prometheus'");
  }

  @Test
  void safety_defaults_to_dry_run_on_real_platforms_and_an_open_simulator() {
    var safety = loader.load(null, Map.of()).remediation().safety();

    assertThat(safety.dryRun()).isNull();
    assertThat(safety.dryRun("kubernetes")).isTrue();
    assertThat(safety.dryRun("simulator")).isFalse();
    assertThat(safety.allow())
        .containsEntry("simulator", java.util.List.of("**"))
        .containsEntry("kubernetes", java.util.List.of());
  }

  @Test
  void safety_allow_lists_limits_and_dry_run_come_from_the_file_and_environment()
      throws IOException {
    Path file =
        yaml(
            "remediation:\n  safety:\n    dryRun: false\n    allow:\n"
                + "      kubernetes: ['prod/deployment/checkout-*']\n      aws-ecs: [prod/checkout]\n"
                + "    limits: {maxScaleFactor: 2, maxReplicas: 12}\n");
    var safety =
        loader
            .load(file, Map.of("SENTINEL_REMEDIATION_SAFETY_ALLOW_AWS_EC2", "i-0abc*,i-0def*"))
            .remediation()
            .safety();

    assertThat(safety.dryRun("kubernetes")).isFalse();
    assertThat(safety.allow().get("kubernetes")).containsExactly("prod/deployment/checkout-*");
    assertThat(safety.allow().get("aws-ec2")).containsExactly("i-0abc*", "i-0def*");
    assertThat(safety.limits().maxScaleFactor()).isEqualTo(2.0);
    assertThat(safety.limits().maxReplicas()).isEqualTo(12);
    assertThat(safety.limits().minReplicas()).isEqualTo(1);
    assertThat(
            loader
                .load(null, Map.of("SENTINEL_REMEDIATION_SAFETY_DRY_RUN", "true"))
                .remediation()
                .safety()
                .dryRun("simulator"))
        .isTrue();
  }

  @Test
  void bad_safety_settings_stop_the_start_naming_the_key() throws IOException {
    Path typo = yaml("remediation:\n  safety:\n    allow:\n      kubernets: ['**']\n");
    assertThatThrownBy(() -> loader.load(typo, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("remediation.safety.allow.kubernets")
        .hasMessageContaining("kubernetes");
    Path limits = yaml("remediation:\n  safety:\n    limits: {maxScaleFactor: 0.5}\n");
    assertThatThrownBy(() -> loader.load(limits, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("remediation.safety.limits")
        .hasMessageContaining("maxScaleFactor must be >= 1, was 0.5");
  }

  @Test
  void real_executors_are_off_by_default_and_configured_under_remediation_executors()
      throws IOException {
    assertThat(loader.load(null, Map.of()).remediation().executors())
        .isEqualTo(ExecutorsConfig.defaults());
    Path file =
        yaml(
            "remediation:\n  platform: kubernetes\n  scope: prod\n  resource: 'deployment/{service}'\n"
                + "  executors:\n    kubernetes: {enabled: true, context: prod-admin, rolloutTimeoutSeconds: 120}\n");
    RemediationConfig remediation =
        loader
            .load(
                file,
                Map.of(
                    "SENTINEL_REMEDIATION_EXECUTORS_AWS_ENABLED",
                    "true",
                    "SENTINEL_REMEDIATION_EXECUTORS_AWS_REGION",
                    "eu-west-1"))
            .remediation();

    assertThat(remediation.executors().kubernetes())
        .isEqualTo(new ExecutorsConfig.Kubernetes(true, "", "prod-admin", 120));
    assertThat(remediation.executors().aws())
        .isEqualTo(new ExecutorsConfig.Aws(true, "eu-west-1", "", 300));
    assertThat(remediation.resource()).isEqualTo("deployment/{service}");
  }

  @Test
  void a_platform_without_its_executor_or_aws_without_a_region_stops_the_start()
      throws IOException {
    Path kubernetes = yaml("remediation:\n  platform: kubernetes\n");
    assertThatThrownBy(() -> loader.load(kubernetes, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("platform is kubernetes but executors.kubernetes.enabled is false");
    assertThatThrownBy(
            () -> loader.load(null, Map.of("SENTINEL_REMEDIATION_EXECUTORS_AWS_ENABLED", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("remediation.executors.aws")
        .hasMessageContaining("region is required");
    Path resource = yaml("remediation:\n  resource: deployment/checkout\n");
    assertThatThrownBy(() -> loader.load(resource, Map.of()))
        .hasMessageContaining("resource must contain {service}");
  }
}
