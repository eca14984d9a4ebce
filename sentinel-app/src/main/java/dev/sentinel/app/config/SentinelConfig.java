package dev.sentinel.app.config;

import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.incident.CorrelationConfig;
import dev.sentinel.postgres.PostgresConfig;
import java.util.Objects;

/**
 * Everything Sentinel can be told, as one typed tree. Read from one YAML file plus {@code
 * SENTINEL_*} environment overrides by {@link ConfigLoader}; every record checks its own
 * invariants, so a bad value fails at start with the key that holds it.
 *
 * <p>{@code state} is where incidents, approvals, the audit trail and API keys live: empty {@code
 * state.url} runs the bundled PostgreSQL under {@code dataDir}; set {@code state.password} through
 * {@code SENTINEL_STATE_PASSWORD} rather than in the file.
 */
public record SentinelConfig(
    ServerConfig server,
    String dataDir,
    BusConfig bus,
    DetectionConfig detection,
    CorrelationConfig incidents,
    DemoConfig demo,
    LogConfig log,
    PostgresConfig state,
    AuthConfig auth,
    AuditConfig audit,
    RemediationConfig remediation,
    TelemetryConfig telemetry,
    ObservabilityConfig observability,
    // The key is 'notify'; the component cannot be, as Object.notify() is final.
    @com.fasterxml.jackson.annotation.JsonProperty("notify") NotifyConfig notifications,
    MemoryConfig memory,
    LlmConfig llm) {

  public SentinelConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(detection, "detection");
    Objects.requireNonNull(incidents, "incidents");
    Objects.requireNonNull(demo, "demo");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(remediation, "remediation");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(observability, "observability");
    Objects.requireNonNull(notifications, "notify");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(llm, "llm");
    if (dataDir.isBlank()) {
      throw new IllegalArgumentException("dataDir must not be blank");
    }
  }

  public static SentinelConfig defaults() {
    return new SentinelConfig(
        ServerConfig.defaults(),
        "./data",
        BusConfig.defaults(),
        DetectionConfig.builtIn(),
        CorrelationConfig.defaults(),
        DemoConfig.defaults(),
        LogConfig.defaults(),
        PostgresConfig.defaults(),
        AuthConfig.defaults(),
        AuditConfig.defaults(),
        RemediationConfig.defaults(),
        TelemetryConfig.defaults(),
        ObservabilityConfig.defaults(),
        NotifyConfig.defaults(),
        MemoryConfig.defaults(),
        LlmConfig.defaults());
  }

  public SentinelConfig withServer(ServerConfig server) {
    return new SentinelConfig(
        server,
        dataDir,
        bus,
        detection,
        incidents,
        demo,
        log,
        state,
        auth,
        audit,
        remediation,
        telemetry,
        observability,
        notifications,
        memory,
        llm);
  }

  public SentinelConfig withDataDir(String dataDir) {
    return new SentinelConfig(
        server,
        dataDir,
        bus,
        detection,
        incidents,
        demo,
        log,
        state,
        auth,
        audit,
        remediation,
        telemetry,
        observability,
        notifications,
        memory,
        llm);
  }

  public SentinelConfig withDemo(DemoConfig demo) {
    return new SentinelConfig(
        server,
        dataDir,
        bus,
        detection,
        incidents,
        demo,
        log,
        state,
        auth,
        audit,
        remediation,
        telemetry,
        observability,
        notifications,
        memory,
        llm);
  }

  public SentinelConfig withMemory(MemoryConfig memory) {
    return new SentinelConfig(
        server,
        dataDir,
        bus,
        detection,
        incidents,
        demo,
        log,
        state,
        auth,
        audit,
        remediation,
        telemetry,
        observability,
        notifications,
        memory,
        llm);
  }

  public SentinelConfig withAuth(AuthConfig auth) {
    return new SentinelConfig(
        server,
        dataDir,
        bus,
        detection,
        incidents,
        demo,
        log,
        state,
        auth,
        audit,
        remediation,
        telemetry,
        observability,
        notifications,
        memory,
        llm);
  }
}
