package dev.sentinel.app.cli;

import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.ConfigLoader;
import dev.sentinel.app.config.SentinelConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The options that say which Sentinel a command is about, shared by {@code run} and the commands
 * that work on its state, so that {@code sentinel keys list -d D} sees what {@code sentinel run -d
 * D} keeps.
 */
final class ConfigOptions {

  @Option(
      names = {"-c", "--config"},
      description = "YAML configuration file (default: $SENTINEL_CONFIG, else built-in defaults).")
  Path configFile;

  @Option(
      names = {"-d", "--data-dir"},
      description = "Directory for Sentinel's own data (overrides dataDir; default ./data).")
  Path dataDir;

  /**
   * The configuration: defaults, the file, {@code SENTINEL_*} variables, then these options.
   *
   * @throws dev.sentinel.app.config.ConfigException naming the bad key
   */
  SentinelConfig load() {
    return load(new ConfigLoader());
  }

  /**
   * As {@link #load()}, for a command: a bad configuration is told on {@code err} as {@code
   * sentinel: <what is wrong>}, and the command should exit with code 2.
   *
   * @return empty when the configuration is bad
   */
  Optional<SentinelConfig> loadFor(PrintWriter err) {
    try {
      return Optional.of(load());
    } catch (ConfigException e) {
      err.println("sentinel: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** As {@link #load()}, with the loader's notices handed to {@code notices}. */
  SentinelConfig load(Consumer<String> notices) {
    return load(new ConfigLoader(notices));
  }

  private SentinelConfig load(ConfigLoader loader) {
    Path file = configFile;
    if (file == null && System.getenv("SENTINEL_CONFIG") != null) {
      file = Path.of(System.getenv("SENTINEL_CONFIG"));
    }
    SentinelConfig config = loader.load(file, System.getenv());
    return dataDir == null ? config : config.withDataDir(dataDir.toString());
  }
}
