package dev.sentinel.app.config;

import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.incident.CorrelationConfig;
import java.util.Objects;

/**
 * Everything Sentinel can be told, as one typed tree. Read from one YAML file plus {@code
 * SENTINEL_*} environment overrides by {@link ConfigLoader}; every record checks its own
 * invariants, so a bad value fails at start with the key that holds it.
 */
public record SentinelConfig(
    ServerConfig server,
    String dataDir,
    BusConfig bus,
    DetectionConfig detection,
    CorrelationConfig incidents,
    DemoConfig demo,
    LogConfig log) {

  public SentinelConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(detection, "detection");
    Objects.requireNonNull(incidents, "incidents");
    Objects.requireNonNull(demo, "demo");
    Objects.requireNonNull(log, "log");
    if (dataDir.isBlank()) {
      throw new IllegalArgumentException("dataDir must not be blank");
    }
  }

  public static SentinelConfig defaults() {
    return new SentinelConfig(
        ServerConfig.defaults(),
        "./data",
        BusConfig.defaults(),
        DetectionConfig.defaults(),
        CorrelationConfig.defaults(),
        DemoConfig.defaults(),
        LogConfig.defaults());
  }

  public SentinelConfig withServer(ServerConfig server) {
    return new SentinelConfig(server, dataDir, bus, detection, incidents, demo, log);
  }

  public SentinelConfig withDataDir(String dataDir) {
    return new SentinelConfig(server, dataDir, bus, detection, incidents, demo, log);
  }

  public SentinelConfig withDemo(DemoConfig demo) {
    return new SentinelConfig(server, dataDir, bus, detection, incidents, demo, log);
  }
}
