package dev.sentinel.app.cli;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.postgres.PostgresDatabase;
import dev.sentinel.postgres.StateDump;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentinel restore --from FILE}: a backup into a new data directory. The state store's rows
 * go into a fresh bundled PostgreSQL migrated to the backup's schema version; the next start
 * migrates them forward, as it would an older data directory.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a 'sentinel backup' archive into a data directory, for the bundled PostgreSQL.",
      "The directory must be empty or absent; --force replaces what it holds (never while a"
          + " Sentinel runs on it). Then start Sentinel on it as usual.",
      "For an external PostgreSQL, restore its pg_dump with pg_restore (docs/operations.md).",
      "Exit 0 restored, 1 failed, 2 bad input or a directory that is not empty."
    })
final class RestoreCommand implements Callable<Integer> {

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "FILE",
      description = "The archive written by 'sentinel backup'.")
  Path from;

  @Option(
      names = "--force",
      description = "Replace the contents of a data directory that is not empty.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<SentinelConfig> loaded = options.loadFor(err);
    if (loaded.isEmpty()) {
      return 2;
    }
    SentinelConfig config = loaded.get();
    Logging.quietForCommands();
    Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
    try (BackupArchive.Reader archive = new BackupArchive.Reader(from)) {
      if (!config.state().bundled()) {
        throw new IllegalArgumentException(
            "state.url names an external PostgreSQL: restore it with pg_restore from its own"
                + " dump (docs/operations.md, \"Backups\"); this command restores the bundled"
                + " one");
      }
      prepare(dataDir);
      restore(archive, config, dataDir, out);
      out.println(
          "restored "
              + from
              + " (taken "
              + archive.manifest().getProperty("createdAt")
              + " by "
              + archive.manifest().getProperty("sentinelVersion")
              + ") into "
              + dataDir);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("sentinel: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("sentinel: restore failed: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
    }
  }

  /** Refuses a directory in use, and one that is not empty unless forced (then empties it). */
  private void prepare(Path dataDir) throws IOException {
    if (!Files.exists(dataDir) || isEmpty(dataDir)) {
      Files.createDirectories(dataDir);
      return;
    }
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (Files.exists(pidFile) && serverAlive(pidFile)) {
      throw new IllegalArgumentException(
          "a Sentinel is running on "
              + dataDir
              + " (its PostgreSQL is up, see "
              + pidFile
              + "): stop it before restoring into this directory");
    }
    if (!force) {
      throw new IllegalArgumentException(
          dataDir
              + " is not empty: restore into a new directory, or add --force to replace what it"
              + " holds");
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(dataDir)) {
          Files.delete(file);
        }
      }
    }
  }

  private static void restore(
      BackupArchive.Reader archive, SentinelConfig config, Path dataDir, PrintWriter out)
      throws IOException {
    Path secrets = dataDir.resolve("secrets");
    Files.createDirectories(secrets);
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
    for (String name : archive.list("secrets")) {
      Path file = secrets.resolve(name);
      archive.extract("secrets/" + name, file);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    StateDump.Source source = archive::open;
    String version = StateDump.schemaVersion(source);
    StateDump.Contents loaded;
    try (PostgresDatabase database =
        PostgresDatabase.openAtVersion(config.state(), dataDir, version)) {
      loaded = StateDump.load(database, source);
    }
    String current;
    try (PostgresDatabase database = PostgresDatabase.open(config.state(), dataDir)) {
      current = StateDump.schemaVersion(database);
    }
    out.println(
        "state store: "
            + loaded.totalRows()
            + (loaded.totalRows() == 1 ? " row in " : " rows in ")
            + loaded.rows().size()
            + " tables at schema version "
            + version
            + (version.equals(current) ? "" : ", migrated to " + current)
            + ", audit trail to entry "
            + loaded.auditSequence());
    List<String> memory = archive.list("memory");
    for (String name : memory) {
      archive.extract("memory/" + name, dataDir.resolve("memory").resolve(name));
    }
    out.println(
        "incident memory: " + (memory.isEmpty() ? "none in the backup" : memory.size() + " files"));
    if (archive.has(HistoryCopy.ENTRY)) {
      archive.extract(HistoryCopy.ENTRY, dataDir.resolve(HistoryCopy.ENTRY));
      out.println("telemetry history: restored");
    } else {
      out.println("telemetry history: none in the backup; it fills again from new telemetry");
    }
    if (archive.has("simulator.state")) {
      archive.extract("simulator.state", dataDir.resolve("simulator.state"));
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  private static boolean serverAlive(Path pidFile) {
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
