package dev.sentinel.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.access.KeyHasher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store's database: the bundled PostgreSQL under the data directory, or an external
 * server; either way pooled and migrated to the current schema before anything uses it.
 *
 * <p>The bundled server is locked down, unlike the embedding library's test defaults: SCRAM
 * password authentication only (the password is made on first start and kept in {@code
 * <data>/secrets/postgres-password}, mode 0600), TCP on 127.0.0.1 only, its Unix socket in its own
 * data directory (mode 0700) rather than /tmp, and {@code fsync} and {@code synchronous_commit} on.
 * A data directory made by an older Sentinel, which trusted every local connection, is given the
 * password and the new {@code pg_hba.conf} on its first start.
 */
public final class PostgresDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  /** The whole {@code pg_hba.conf} of the bundled server. */
  static final String PG_HBA =
      """
      # Written by Sentinel on every start: password (SCRAM) authentication only,
      # on the server's own Unix socket and on the IPv4 loopback address.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      """;

  private static final Pattern TRUST = Pattern.compile("(?m)^[^#\\n]*\\btrust\\b");

  /** sun_path holds 108 bytes; PostgreSQL adds "/.s.PGSQL.<port>" to the directory. */
  private static final int MAX_SOCKET_DIRECTORY = 107 - "/.s.PGSQL.65535".length();

  /**
   * The newest migration of this build. A command attaching to a running Sentinel whose schema is
   * at this version skips Flyway, whose scan of the application jar costs seconds;
   * PostgresDatabaseAttachTest holds it to the migrations Flyway finds.
   */
  static final String LATEST_MIGRATION = "41";

  private final EmbeddedPostgres embedded;
  private final HikariDataSource pool;
  private final StateSecrets secrets;

  /** Whether this is a running Sentinel's bundled server, shared by a command. */
  private final boolean shared;

  private PostgresDatabase(EmbeddedPostgres embedded, HikariDataSource pool, StateSecrets secrets) {
    this(embedded, pool, secrets, false);
  }

  private PostgresDatabase(
      EmbeddedPostgres embedded, HikariDataSource pool, StateSecrets secrets, boolean shared) {
    this.embedded = embedded;
    this.pool = pool;
    this.secrets = secrets;
    this.shared = shared;
  }

  /**
   * Opens the database and applies pending migrations.
   *
   * @param dataDir where the bundled server keeps its files, and where the state store's secrets
   *     are kept (see {@link StateSecrets}) for either kind of server
   */
  public static PostgresDatabase open(PostgresConfig config, Path dataDir) {
    return open(config, dataDir, System.getenv());
  }

  static PostgresDatabase open(
      PostgresConfig config, Path dataDir, Map<String, String> environment) {
    return open(config, dataDir, environment, Optional.empty());
  }

  /**
   * As {@link #open}, but migrates the schema no further than {@code schemaVersion}: a restore
   * loads a backup's rows into the schema they were taken from, and the next {@link #open} applies
   * the newer migrations to them as to any older data directory.
   */
  public static PostgresDatabase openAtVersion(
      PostgresConfig config, Path dataDir, String schemaVersion) {
    return open(config, dataDir, System.getenv(), Optional.of(schemaVersion));
  }

  private static PostgresDatabase open(
      PostgresConfig config,
      Path dataDir,
      Map<String, String> environment,
      Optional<String> schemaVersion) {
    StateSecrets secrets = StateSecrets.load(dataDir, environment);
    EmbeddedPostgres embedded = null;
    String url = config.url();
    String user = config.user();
    String password = config.password();
    if (config.bundled()) {
      checkPasswordFileKept(dataDir);
      password = StateSecrets.readOrCreate(passwordFile(dataDir));
      embedded = startBundled(dataDir.resolve("postgres"), passwordFile(dataDir), password);
      url = bundledUrl(embedded.getPort());
      user = "postgres";
    }
    HikariDataSource pool;
    try {
      pool = migratedPool(url, user, password, config.poolSize(), secrets, schemaVersion);
    } catch (RuntimeException e) {
      closeQuietly(embedded);
      throw new StateStoreException(
          "cannot open the state store at " + url + ": " + e.getMessage(), e);
    }
    return new PostgresDatabase(embedded, pool, secrets);
  }

  /**
   * A locked-down server whose password file is gone would only answer "password authentication
   * failed" for as long as the start-up wait lasts: say what is wrong at once instead.
   */
  private static void checkPasswordFileKept(Path dataDir) {
    Path hba = dataDir.resolve("postgres").resolve("pg_hba.conf");
    try {
      if (!Files.exists(passwordFile(dataDir))
          && Files.exists(hba)
          && !TRUST.matcher(Files.readString(hba)).find()) {
        throw new StateStoreException(
            "the bundled PostgreSQL in "
                + hba.getParent()
                + " requires a password, but its password file "
                + passwordFile(dataDir)
                + " is missing: restore it from a backup");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + hba, e);
    }
  }

  /** The bundled server's superuser password: a file of the data directory, mode 0600. */
  public static Path passwordFile(Path dataDir) {
    return StateSecrets.directory(dataDir).resolve("postgres-password");
  }

  private static String bundledUrl(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
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
    String url = bundledUrl(port.getAsInt());
    StateSecrets secrets = StateSecrets.load(dataDir, System.getenv());
    Path passwordFile = passwordFile(dataDir);
    if (!Files.exists(passwordFile)) {
      throw new StateStoreException(
          "the bundled PostgreSQL of "
              + directory
              + " is running, but its password file "
              + passwordFile
              + " is missing: restore it from a backup");
    }
    String password = StateSecrets.readOrCreate(passwordFile);
    try {
      // The running Sentinel migrated its schema; a command of the same build needs no Flyway.
      HikariDataSource pool = pool(url, "postgres", password, Math.min(2, config.poolSize()));
      try {
        if (!LATEST_MIGRATION.equals(schemaVersion(pool))) {
          flyway(pool, secrets.keyHasher()).load().migrate();
        }
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
      return new PostgresDatabase(null, pool, secrets, true);
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
      String url,
      String user,
      String password,
      int poolSize,
      StateSecrets secrets,
      Optional<String> schemaVersion) {
    HikariDataSource pool = pool(url, user, password, poolSize);
    try {
      FluentConfiguration flyway = flyway(pool, secrets.keyHasher());
      schemaVersion.ifPresent(flyway::target);
      flyway.load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  private static HikariDataSource pool(String url, String user, String password, int poolSize) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(poolSize);
    hikari.setPoolName("sentinel-state");
    hikari.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    hikari.setInitializationFailTimeout(Duration.ofSeconds(30).toMillis());
    return new HikariDataSource(hikari);
  }

  /** The newest migration applied to the schema behind {@code pool}; empty when there is none. */
  static String schemaVersion(DataSource pool) {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank DESC LIMIT 1")) {
      return row.next() ? row.getString(1) : "";
    } catch (SQLException e) {
      // No history table yet: a schema Flyway has to create.
      return "";
    }
  }

  static void migrate(DataSource dataSource, StateSecrets secrets) {
    flyway(dataSource, secrets.keyHasher()).load().migrate();
  }

  /** The schema's migrations: the SQL files, and the one Java migration that needs the pepper. */
  static FluentConfiguration flyway(DataSource dataSource, KeyHasher hasher) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .javaMigrations(new V32__Pepper_api_key_hashes(hasher));
  }

  private static EmbeddedPostgres startBundled(Path directory, Path passwordFile, String password) {
    EmbeddedPostgres embedded;
    try {
      Files.createDirectories(directory);
      stopOrphan(directory);
      boolean fresh = !Files.exists(directory.resolve("postgresql.conf"));
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(directory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(30))
              // close() stops the server after the pool, once Sentinel's own shutdown has drained
              // its work; the library's JVM hook would stop it at the same time as that shutdown
              // (on SIGTERM the incident desk lost its database mid-write).
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "50")
              // The library starts the server with -F (fsync off) and synchronous_commit off, its
              // test defaults; a later -c wins over -F. Both must be on for the journal and the
              // audit trail to survive a power loss.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("listen_addresses", "'127.0.0.1'")
              .setServerConfig("unix_socket_directories", socketDirectory(directory))
              .setServerConfig("password_encryption", "scram-sha-256")
              // The library's own readiness check connects as postgres: it needs the password.
              .setConnectConfig("password", password);
      if (fresh) {
        // initdb's own -A trust comes first on its command line; a later --auth wins, and
        // --pwfile sets the password, so no trusting moment exists on a new data directory.
        builder
            .setLocaleConfig("auth", "scram-sha-256")
            .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
      }
      embedded = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the bundled PostgreSQL in " + directory, e);
    }
    try {
      lockDown(directory, embedded.getPort(), password);
    } catch (IOException | SQLException | RuntimeException e) {
      closeQuietly(embedded);
      throw new StateStoreException(
          "cannot lock down the bundled PostgreSQL in " + directory + ": " + e.getMessage(), e);
    }
    return embedded;
  }

  /**
   * The server's socket directory: its own data directory, which initdb makes 0700, so no other OS
   * user can reach the socket. Empty (no socket; Sentinel uses TCP) when the path is too long for a
   * socket address or holds characters the server's command line would split on.
   */
  private static String socketDirectory(Path directory) {
    String path = directory.toAbsolutePath().toString();
    if (path.length() > MAX_SOCKET_DIRECTORY || !path.matches("[A-Za-z0-9/._+-]+")) {
      log.info("the bundled PostgreSQL listens on 127.0.0.1 only, without a Unix socket: {}", path);
      return "''";
    }
    return "'" + path + "'";
  }

  /**
   * Writes Sentinel's {@code pg_hba.conf} and reloads it when the file differs. A data directory
   * from before the lock-down trusts local connections and its superuser has no password: set the
   * password first (while trust still lets us in), then drop trust.
   */
  private static void lockDown(Path directory, int port, String password)
      throws IOException, SQLException {
    Path hba = directory.resolve("pg_hba.conf");
    String current = Files.exists(hba) ? Files.readString(hba) : "";
    if (current.equals(PG_HBA)) {
      return;
    }
    try (Connection connection =
            DriverManager.getConnection(bundledUrl(port), "postgres", password);
        Statement statement = connection.createStatement()) {
      if (TRUST.matcher(current).find()) {
        log.warn(
            "the bundled PostgreSQL in {} trusted local connections; setting its password and"
                + " requiring it from now on",
            directory);
        statement.execute("SET password_encryption = 'scram-sha-256'");
        statement.execute("ALTER ROLE postgres PASSWORD " + literal(password));
      }
      Files.writeString(hba, PG_HBA);
      statement.execute("SELECT pg_reload_conf()");
    }
  }

  /** A password as an SQL literal; ours are base64url, but any text is quoted safely. */
  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
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

  /** Where the data lives, for logs and health, and for a command to say which way it went. */
  public String description() {
    if (embedded != null) {
      return "bundled PostgreSQL on 127.0.0.1:" + embedded.getPort();
    }
    return shared
        ? "the running Sentinel's bundled PostgreSQL (" + pool.getJdbcUrl() + ")"
        : pool.getJdbcUrl();
  }

  /** The secrets kept beside the database: the audit key, the API-key pepper, the audit head. */
  public StateSecrets secrets() {
    return secrets;
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
