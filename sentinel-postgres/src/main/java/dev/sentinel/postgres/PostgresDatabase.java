package dev.sentinel.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store's database: the bundled PostgreSQL under the data directory, or an external
 * server; either way pooled and migrated to the current schema before anything uses it.
 */
public final class PostgresDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  private final EmbeddedPostgres embedded;
  private final HikariDataSource pool;

  private PostgresDatabase(EmbeddedPostgres embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
  }

  /**
   * Opens the database and applies pending migrations.
   *
   * @param dataDir where the bundled server keeps its files (ignored for an external server)
   */
  public static PostgresDatabase open(PostgresConfig config, Path dataDir) {
    EmbeddedPostgres embedded = null;
    String url = config.url();
    String user = config.user();
    String password = config.password();
    if (config.bundled()) {
      embedded = startBundled(dataDir.resolve("postgres"));
      url = embedded.getJdbcUrl("postgres", "postgres");
      user = "postgres";
      password = "";
    }
    HikariDataSource pool;
    try {
      pool = migratedPool(url, user, password, config.poolSize());
    } catch (RuntimeException e) {
      closeQuietly(embedded);
      throw new StateStoreException(
          "cannot open the state store at " + url + ": " + e.getMessage(), e);
    }
    return new PostgresDatabase(embedded, pool);
  }

  /**
   * Opens the database for a command that runs beside {@code sentinel run} (key management, audit
   * verification). When the bundled server of this data directory is already running, it connects
   * to it and leaves it running on {@link #close()}: two servers cannot share one data directory.
   * Otherwise it behaves as {@link #open}, starting the bundled server for the duration of the
   * command; an external server is simply opened.
   */
  public static PostgresDatabase attach(PostgresConfig config, Path dataDir) {
    if (!config.bundled()) {
      return open(config, dataDir);
    }
    Path directory = dataDir.resolve("postgres");
    OptionalInt port = runningPort(directory);
    if (port.isEmpty()) {
      return open(config, dataDir);
    }
    // Zonky's server trusts local connections for the postgres user, as open() relies on too.
    String url = "jdbc:postgresql://localhost:" + port.getAsInt() + "/postgres";
    try {
      return new PostgresDatabase(null, migratedPool(url, "postgres", "", config.poolSize()));
    } catch (RuntimeException e) {
      throw new StateStoreException(
          "the bundled PostgreSQL of "
              + directory
              + " is running but cannot be reached at "
              + url
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The port of the bundled server running in {@code directory}, read from the {@code
   * postmaster.pid} PostgreSQL keeps there while it runs (line 1 the pid, line 4 the port); empty
   * when there is no such file, or its process is gone or is not PostgreSQL (a stale file left by a
   * crash, whose pid may since belong to something else).
   */
  static OptionalInt runningPort(Path directory) {
    Path pidFile = directory.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
    } catch (IOException e) {
      // The server removes the file as it stops; reading it then is a race we can lose.
      return OptionalInt.empty();
    }
    if (lines.size() < 4) {
      return OptionalInt.empty();
    }
    try {
      long pid = Long.parseLong(lines.get(0).strip());
      int port = Integer.parseInt(lines.get(3).strip());
      boolean postgres =
          ProcessHandle.of(pid)
              .filter(ProcessHandle::isAlive)
              .flatMap(process -> process.info().command())
              .map(command -> command.contains("postgres"))
              .orElse(false);
      return postgres ? OptionalInt.of(port) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static HikariDataSource migratedPool(
      String url, String user, String password, int poolSize) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(poolSize);
    hikari.setPoolName("sentinel-state");
    hikari.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    hikari.setInitializationFailTimeout(Duration.ofSeconds(30).toMillis());
    HikariDataSource pool = new HikariDataSource(hikari);
    try {
      migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  private static EmbeddedPostgres startBundled(Path directory) {
    try {
      Files.createDirectories(directory);
      stopOrphan(directory);
      return EmbeddedPostgres.builder()
          .setDataDirectory(directory)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(30))
          .setServerConfig("max_connections", "50")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the bundled PostgreSQL in " + directory, e);
    }
  }

  /**
   * A Sentinel killed with SIGKILL leaves its bundled server running, holding the data directory.
   * Stop that orphan (it is ours: its pid file is in our directory) before starting.
   */
  private static void stopOrphan(Path directory) throws IOException {
    Path pidFile = directory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.getFirst().strip());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (orphan.isEmpty()
        || !orphan.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
      return;
    }
    log.warn("stopping the bundled PostgreSQL (pid {}) left running by a previous Sentinel", pid);
    orphan.get().destroy();
    try {
      orphan.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      orphan.get().destroyForcibly();
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Where the data lives, for logs and health. */
  public String description() {
    return embedded != null
        ? "bundled PostgreSQL on port " + embedded.getPort()
        : pool.getJdbcUrl();
  }

  @Override
  public void close() {
    pool.close();
    closeQuietly(embedded);
  }

  private static void closeQuietly(EmbeddedPostgres embedded) {
    if (embedded == null) {
      return;
    }
    try {
      embedded.close();
    } catch (IOException e) {
      log.warn("stopping the bundled PostgreSQL failed", e);
    }
  }
}
