package dev.sentinel.app.cli;

import dev.sentinel.app.observe.SentinelVersion;
import dev.sentinel.lucene.LuceneCommitCopy;
import dev.sentinel.postgres.StateDump;
import dev.sentinel.postgres.StateSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sentinel backup --to FILE}: the embedded state in one archive, taken while {@code sentinel
 * run} serves from the same data directory or while it is stopped.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Write the data directory's state to one archive: incidents, cases, the audit trail, API"
          + " keys, lessons (the state store, as one consistent snapshot), the audit key and the"
          + " API-key pepper, the incident memory, and the telemetry history.",
      "Works while 'sentinel run' is running, except for the DuckDB telemetry history: DuckDB lets"
          + " one process open its file, so a running Sentinel's history is left out and the"
          + " command says so. Stop Sentinel first to include it.",
      "The archive holds secrets: it is written with mode 0600; keep it as safe as the data"
          + " directory.",
      "Exit 0 written, 1 failed, 2 bad input."
    })
final class BackupCommand extends StateCommand {

  @Option(
      names = "--to",
      required = true,
      paramLabel = "FILE",
      description = "The archive to write (replaced if it exists).")
  Path to;

  @Override
  int run(State state) {
    Properties manifest = new Properties();
    manifest.setProperty("format", BackupArchive.FORMAT);
    manifest.setProperty("sentinelVersion", SentinelVersion.current().display());
    manifest.setProperty("createdAt", Instant.now(state.clock()).toString());
    manifest.setProperty("dataDir", state.dataDir().toString());
    try (BackupArchive.Writer archive = new BackupArchive.Writer(to)) {
      StateDump.Contents contents =
          StateDump.write(state.database(), (name, body) -> body.writeTo(archive.entry(name)));
      manifest.setProperty("schemaVersion", contents.schemaVersion());
      state
          .out()
          .println(
              "state store: schema version "
                  + contents.schemaVersion()
                  + ", "
                  + contents.rows().size()
                  + " tables, "
                  + contents.totalRows()
                  + (contents.totalRows() == 1 ? " row" : " rows")
                  + ", audit trail to entry "
                  + contents.auditSequence());
      secrets(state, archive);
      memory(state, archive, manifest);
      HistoryCopy.Outcome history = HistoryCopy.copy(state.config(), state.dataDir(), archive);
      manifest.setProperty("history", history.included() ? "included" : "absent");
      state.out().println("telemetry history: " + history.note());
      Path fleet = state.dataDir().resolve("simulator.state");
      if (Files.isRegularFile(fleet)) {
        try (InputStream in = Files.newInputStream(fleet)) {
          archive.copy("simulator.state", in);
        }
      }
      archive.finish(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the backup " + to + ": " + e.getMessage(), e);
    }
    state.out().println("backup written to " + to.toAbsolutePath() + " (" + size(to) + " bytes)");
    return 0;
  }

  /**
   * The secret files, without which a restored trail does not verify and no stored API key matches.
   * A secret set through the environment has no file: the note says to set it again.
   */
  private static void secrets(State state, BackupArchive.Writer archive) throws IOException {
    Path folder = state.dataDir().resolve("secrets");
    for (String name : List.of("audit-key", "api-key-pepper")) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          archive.copy("secrets/" + name, in);
        }
      }
    }
    for (String variable : List.of(StateSecrets.AUDIT_KEY_ENV, StateSecrets.PEPPER_ENV)) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        state
            .out()
            .println(
                variable
                    + " is set: its value is not in the backup; set the same value where you"
                    + " restore");
      }
    }
  }

  private static void memory(State state, BackupArchive.Writer archive, Properties manifest)
      throws IOException {
    Path index = state.dataDir().resolve("memory");
    boolean lucene =
        state.config().memory().enabled() && !"qdrant".equals(state.config().memory().kind());
    if (!lucene) {
      manifest.setProperty("memory", "absent");
      state.out().println("incident memory: not local (memory.kind is qdrant, or memory is off)");
      return;
    }
    if (!LuceneCommitCopy.exists(index)) {
      manifest.setProperty("memory", "absent");
      state.out().println("incident memory: none yet in " + index);
      return;
    }
    List<String> files =
        LuceneCommitCopy.copy(index, (name, in) -> archive.copy("memory/" + name, in));
    manifest.setProperty("memory", "included");
    state.out().println("incident memory: " + files.size() + " files of its newest commit");
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
