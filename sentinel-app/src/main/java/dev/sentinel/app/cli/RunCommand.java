package dev.sentinel.app.cli;

import dev.sentinel.app.Sentinel;
import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.ConfigLoader;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.config.StartChecks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sentinel run}: starts the engine and serves until stopped. No logger field here on
 * purpose: the log format comes from the configuration, so logging starts after it is read.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run Sentinel: HTTP API, ingestion, detection, incidents.")
final class RunCommand implements Callable<Integer> {

  private static volatile boolean serving;

  @Mixin ConfigOptions options;

  @Option(
      names = {"-p", "--port"},
      description = "HTTP port; 0 picks a free one (overrides server.port).")
  Integer port;

  @Option(
      names = "--demo",
      description = "Simulate a small service fleet and inject faults into it.")
  boolean demo;

  static boolean isServing() {
    return serving;
  }

  @Override
  public Integer call() {
    long started = System.nanoTime();
    SentinelConfig config;
    // Told once the log's format is chosen: the first line logged would fix the format.
    List<String> notices = new ArrayList<>();
    try {
      config = loadConfig(notices);
      StartChecks.check(config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("sentinel: " + e.getMessage());
      return 2;
    }
    Logging.configure(config.log());
    notices.forEach(LoggerFactory.getLogger(ConfigLoader.class)::warn);
    Sentinel sentinel;
    try {
      sentinel = Sentinel.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      System.err.println("sentinel: failed to start: " + e.getMessage());
      e.printStackTrace(System.err);
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("sentinel-shutdown").unstarted(sentinel::close));
    // SIGTERM is how systemd, Kubernetes and podman stop a service: a clean stop exits 0, not 143
    // (the shutdown hook above still closes everything first).
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
    serving = true;
    long readyMillis = (System.nanoTime() - started) / 1_000_000;
    String ready =
        String.format(
            "Sentinel listening on http://%s:%d (ready in %d ms, data in %s)%s",
            config.server().host(),
            sentinel.port(),
            readyMillis,
            Path.of(config.dataDir()).toAbsolutePath().normalize(),
            everyInterface(config.server().host())
                ? "; that is every network interface: set server.host to 127.0.0.1 for this machine"
                    + " only"
                : "");
    if ("json".equals(config.log().format())) {
      LoggerFactory.getLogger(RunCommand.class).info(ready); // every line JSON
    } else {
      System.out.println(ready);
      System.out.flush();
    }
    return 0;
  }

  private SentinelConfig loadConfig(List<String> notices) {
    SentinelConfig config = options.load(notices::add);
    if (port != null) {
      if (port < 0 || port > 65_535) {
        throw new ConfigException("--port must be in 0..65535, was " + port);
      }
      config = config.withServer(config.server().withPort(port));
    }
    if (demo) {
      config = config.withDemo(config.demo().withEnabled(true));
    }
    return config;
  }

  private static boolean everyInterface(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }
}
