package dev.sentinel.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one test's own, made with Debian's {@code initdb} and {@code pg_ctl} in a
 * temporary directory, that the test may stop and start: the machine's shared server must never be.
 * It runs as the {@code postgres} system user (initdb refuses root), with trust authentication on
 * loopback.
 */
final class OwnPostgres implements AutoCloseable {

  private final Path data;
  private final Path bin;
  private final int port;

  private OwnPostgres(Path data, Path bin, int port) {
    this.data = data;
    this.bin = bin;
    this.port = port;
  }

  /**
   * Initialises a cluster in a temporary directory of its own (the server's user cannot enter a
   * test's), starts it and creates the database "sentinel".
   */
  static OwnPostgres launch() throws IOException, InterruptedException {
    Path bin = binaries();
    Path parent = Files.createTempDirectory("sentinel-own-postgres");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = parent.resolve("pgdata");
    Files.createDirectories(data);
    run(List.of("chown", "postgres:postgres", data.toString()));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OwnPostgres server = new OwnPostgres(data, bin, port);
    server.asPostgres(
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8");
    server.start();
    server.asPostgres(
        bin.resolve("createdb").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        Integer.toString(port),
        "-U",
        "postgres",
        "sentinel");
    return server;
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/sentinel";
  }

  void start() throws IOException, InterruptedException {
    asPostgres(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        data.resolve("server.log").toString(),
        "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + data,
        "-w",
        "start");
  }

  /** Stops the server as an operator's fast shutdown would: sessions are cut at once. */
  void stop() throws IOException, InterruptedException {
    asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
  }

  /** Stops the server if it runs, and removes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      stop();
    }
    run(List.of("rm", "-rf", data.getParent().toString()));
  }

  private void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    run(full);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  /** Debian's server binaries, newest version first. */
  private static Path binaries() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
          .max(Path::compareTo)
          .orElseThrow(
              () -> new IOException("no PostgreSQL server binaries in /usr/lib/postgresql"));
    }
  }
}
