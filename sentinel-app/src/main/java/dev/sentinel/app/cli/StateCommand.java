package dev.sentinel.app.cli;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.postgres.PostgresApiKeyStore;
import dev.sentinel.postgres.PostgresAuditTrail;
import dev.sentinel.postgres.PostgresDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on the state store of a Sentinel installation, alone or while {@code
 * sentinel run} serves from it: the bundled PostgreSQL is shared, not started twice.
 *
 * <p>Exit codes: 0 done, 1 failed (the message says why), 2 bad configuration or input.
 */
abstract class StateCommand implements Callable<Integer> {

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  /** What the command does with the open store; returns the exit code. */
  abstract int run(State state);

  /**
   * Checks the command's own arguments before the store is opened (which may start the bundled
   * server), throwing {@link IllegalArgumentException} with the message to show.
   */
  void check() {}

  /** The open state store and the ports built on it. */
  record State(
      SentinelConfig config,
      Path dataDir,
      PostgresDatabase database,
      AuditTrail audit,
      PostgresApiKeyStore keys,
      Clock clock,
      PrintWriter out,
      PrintWriter err) {

    /** The actor of audit entries written by the CLI: the operating-system user. */
    String actor() {
      return "cli:" + System.getProperty("user.name", "unknown");
    }
  }

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Optional<SentinelConfig> loaded = options.loadFor(err);
    if (loaded.isEmpty()) {
      return 2;
    }
    SentinelConfig config = loaded.get();
    try {
      check();
    } catch (IllegalArgumentException e) {
      err.println("sentinel: " + e.getMessage());
      return 2;
    }
    Logging.quietForCommands();
    Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
    try (PostgresDatabase database = PostgresDatabase.attach(config.state(), dataDir)) {
      // Which way it went: beside a running Sentinel, or with a server started for this command.
      err.println("sentinel: using " + database.description());
      Clock clock = Clock.systemUTC();
      AuditTrail audit = new PostgresAuditTrail(database.dataSource(), database.secrets());
      PostgresApiKeyStore keys =
          new PostgresApiKeyStore(
              database.dataSource(), audit, clock, database.secrets().keyHasher());
      return run(
          new State(
              config,
              dataDir,
              database,
              audit,
              keys,
              clock,
              spec.commandLine().getOut(),
              spec.commandLine().getErr()));
    } catch (IllegalArgumentException e) {
      err.println("sentinel: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("sentinel: " + e.getMessage());
      return 1;
    } finally {
      spec.commandLine().getOut().flush();
    }
  }
}
