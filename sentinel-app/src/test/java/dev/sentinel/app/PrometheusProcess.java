package dev.sentinel.app;

import dev.sentinel.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real Prometheus (Debian's 2.42, installed by {@code scripts/prometheus.sh}) on a free loopback
 * port, with a configuration the test writes and its data and log in the test's folder. Without a
 * {@code prometheus} binary on the PATH the test is skipped, or fails under CI.
 */
final class PrometheusProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Prometheus in {@code dir}.
   *
   * @param config the configuration YAML, given the port Prometheus will listen on
   */
  static PrometheusProcess start(Path dir, IntFunction<String> config) throws IOException {
    Optional<Path> binary = binary();
    Prerequisites.require(
        binary.isPresent(),
        "no prometheus binary on the PATH: run scripts/prometheus.sh (installs Debian's 2.42)");
    int port = freePort();
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config.apply(port));
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.get().toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new PrometheusProcess(process, port, log);
  }

  int port() {
    return port;
  }

  /** Checks that may fail while Prometheus runs. */
  interface Check {
    void run() throws Exception;
  }

  /** Runs {@code check}; a failed assertion carries Prometheus' log. */
  void explainFailures(Check check) throws Exception {
    try {
      check.run();
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "\n--- prometheus log ---\n" + Files.readString(log), e);
    }
  }

  private static Optional<Path> binary() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
