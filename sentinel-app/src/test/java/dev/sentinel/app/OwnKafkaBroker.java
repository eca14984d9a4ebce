package dev.sentinel.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker of one test's own — one KRaft node, broker and controller at once, on loopback —
 * that the test may kill and start again on the same log directory, which the shared broker of
 * {@code scripts/kafka.sh} must never be. Started from the class path that script resolved from
 * Maven Central ({@code SENTINEL_TEST_KAFKA_CLASSPATH_FILE}).
 */
final class OwnKafkaBroker implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final String classPath;
  private final String log4j;
  private Process process;

  private OwnKafkaBroker(Path dir, int port, String classPath, String log4j) {
    this.dir = dir;
    this.port = port;
    this.classPath = classPath;
    this.log4j = log4j;
  }

  /**
   * Formats a log directory under {@code dir} and starts the broker on {@code port} (its controller
   * on {@code port + 1}).
   */
  static OwnKafkaBroker start(Path dir, int port, Path classPathFile, String log4j)
      throws IOException, InterruptedException {
    OwnKafkaBroker broker =
        new OwnKafkaBroker(dir, port, Files.readString(classPathFile).strip(), log4j);
    broker.format();
    broker.start();
    return broker;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  private void format() throws IOException, InterruptedException {
    Files.writeString(
        dir.resolve("server.properties"),
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + (port + 1),
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dir.resolve("logs"),
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=2",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            ""));
    // 16 random bytes in URL-safe base64, starting with a letter (see scripts/kafka.sh).
    byte[] id = new byte[16];
    new Random().nextBytes(id);
    String cluster =
        "K" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id).substring(1);
    Process format =
        java(
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id=" + cluster,
                "-c",
                dir.resolve("server.properties").toString())
            .redirectOutput(dir.resolve("format.out").toFile())
            .start();
    if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException(
          "formatting the broker's log directory failed: "
              + Files.readString(dir.resolve("format.out")));
    }
  }

  /** Starts the broker on the existing log directory and waits until it takes connections. */
  void start() throws IOException, InterruptedException {
    process =
        java("kafka.Kafka", dir.resolve("server.properties").toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the broker exited with " + process.exitValue() + "; see " + dir.resolve("stdout.log"));
      }
      if (answers()
          && Files.exists(dir.resolve("server.log"))
          && Files.readString(dir.resolve("server.log")).contains("Kafka Server started")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the broker did not start within 90 s; see " + dir);
  }

  /** Kills the broker as a crash would (SIGKILL): nothing is flushed or handed over. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    // A restart must start afresh: forget the old "started" line.
    try {
      Files.deleteIfExists(dir.resolve("server.log"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean answers() {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private ProcessBuilder java(String main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms128m");
    command.add("-Xmx512m");
    command.add("-Dlog4j2.configurationFile=" + log4j);
    command.add("-Dkafka.logs.dir=" + dir);
    command.add("-cp");
    command.add(classPath);
    command.add(main);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
