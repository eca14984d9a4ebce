package dev.sentinel.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationInfo;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A logical copy of the state store's rows, what {@code pg_dump --data-only} would make, taken
 * through JDBC so it needs no PostgreSQL client tools and works while Sentinel serves from the
 * database: every table is read with {@code COPY … TO STDOUT} inside one read-only REPEATABLE READ
 * transaction, so the copy is one consistent snapshot however long it takes.
 *
 * <p>A dump is a set of named entries: {@value #MANIFEST} (the schema version, each table's columns
 * and rows, the sequences, the audit head at the snapshot) and one CSV file per table. The schema
 * is not copied: {@link #load} goes into a database migrated to the dump's own schema version, and
 * Flyway carries the rows forward from there like any older data directory's.
 */
public final class StateDump {

  public static final String MANIFEST = "postgres/manifest.properties";

  private static final String HISTORY_TABLE = "flyway_schema_history";
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  /** Where the parts of a dump are written: one named entry each, in the order given. */
  public interface Sink {
    void write(String name, Body body) throws IOException, SQLException;
  }

  /** Writes one entry's bytes. */
  public interface Body {
    void writeTo(OutputStream out) throws IOException, SQLException;
  }

  /** Where the parts of a dump are read from. */
  public interface Source {
    InputStream open(String name) throws IOException;
  }

  /**
   * What a dump holds: the schema version it was taken at, the rows of each table, and the newest
   * audit entry in it (0 when the trail is empty).
   */
  public record Contents(String schemaVersion, Map<String, Long> rows, long auditSequence) {
    public Contents {
      rows = Map.copyOf(rows);
    }

    public long totalRows() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private StateDump() {}

  /** Copies every table of the store to {@code sink}; returns what was copied. */
  public static Contents write(PostgresDatabase database, Sink sink) {
    String version = schemaVersion(database);
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      Properties manifest = new Properties();
      manifest.setProperty("schemaVersion", version);
      Map<String, Long> rows = new TreeMap<>();
      List<String> tables = tables(connection);
      manifest.setProperty("tables", String.join(",", tables));
      for (String table : tables) {
        long[] copied = new long[1];
        sink.write(
            entry(table),
            out ->
                copied[0] =
                    copy.copyOut(
                        "COPY " + table + " TO STDOUT WITH (FORMAT csv, HEADER true)", out));
        rows.put(table, copied[0]);
        manifest.setProperty("rows." + table, Long.toString(copied[0]));
      }
      for (Map.Entry<String, Long> sequence : sequences(connection).entrySet()) {
        manifest.setProperty("sequence." + sequence.getKey(), Long.toString(sequence.getValue()));
      }
      Optional<AuditHead.Mark> head = auditHead(connection);
      head.ifPresent(
          mark -> {
            manifest.setProperty("auditHead.sequence", Long.toString(mark.sequence()));
            manifest.setProperty("auditHead.hash", mark.hash());
          });
      connection.commit();
      sink.write(MANIFEST, out -> manifest.store(out, "Sentinel state store dump"));
      return new Contents(version, rows, head.map(AuditHead.Mark::sequence).orElse(0L));
    } catch (SQLException e) {
      throw new StateStoreException("cannot copy the state store: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state store's copy", e);
    }
  }

  /** The schema version a dump was taken at, to open the restored database at. */
  public static String schemaVersion(Source source) {
    return manifest(source).getProperty("schemaVersion");
  }

  /**
   * Loads a dump into {@code database}, which must be migrated to the dump's schema version and
   * hold nothing Sentinel wrote yet (the rows a migration seeds are replaced). Also writes the
   * audit head file of the snapshot, so {@code sentinel audit verify} knows where the restored
   * trail ends. Needs a superuser (the bundled server's), to load rows without re-checking foreign
   * keys one by one.
   */
  public static Contents load(PostgresDatabase database, Source source) {
    Properties manifest = manifest(source);
    String version = manifest.getProperty("schemaVersion");
    String current = schemaVersion(database);
    if (!version.equals(current)) {
      throw new StateStoreException(
          "the dump is of schema version " + version + " but the database is at " + current);
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL session_replication_role = replica");
        List<String> present = tables(connection);
        if (!present.isEmpty()) {
          statement.execute("TRUNCATE " + String.join(", ", present));
        }
        for (String table : names(manifest.getProperty("tables", ""))) {
          if (!present.contains(table)) {
            throw new StateStoreException(
                "the dump has a table " + table + " that schema version " + version + " lacks");
          }
          try (InputStream in = source.open(entry(table))) {
            rows.put(
                table,
                copy.copyIn(
                    "COPY " + table + " (" + header(in) + ") FROM STDIN WITH (FORMAT csv)", in));
          }
          long expected = Long.parseLong(manifest.getProperty("rows." + table, "-1"));
          if (rows.get(table) != expected) {
            throw new StateStoreException(
                "table "
                    + table
                    + ": loaded "
                    + rows.get(table)
                    + " rows, the dump lists "
                    + expected);
          }
        }
        for (String key : manifest.stringPropertyNames()) {
          if (key.startsWith("sequence.")) {
            String sequence = key.substring("sequence.".length());
            checkName(sequence);
            statement.execute(
                "SELECT setval('"
                    + sequence
                    + "', "
                    + Long.parseLong(manifest.getProperty(key))
                    + ")");
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new StateStoreException("cannot load the state store's copy: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state store's copy", e);
    }
    long head = Long.parseLong(manifest.getProperty("auditHead.sequence", "0"));
    if (head > 0) {
      new AuditHead(database.secrets().auditHead())
          .write(head, manifest.getProperty("auditHead.hash"));
    }
    return new Contents(version, rows, head);
  }

  /** The newest migration applied to the database. */
  public static String schemaVersion(PostgresDatabase database) {
    MigrationInfo current =
        PostgresDatabase.flyway(database.dataSource(), database.secrets().keyHasher())
            .load()
            .info()
            .current();
    if (current == null || current.getVersion() == null) {
      throw new StateStoreException("the state store has no schema version");
    }
    return current.getVersion().getVersion();
  }

  private static Properties manifest(Source source) {
    Properties manifest = new Properties();
    try (InputStream in = source.open(MANIFEST)) {
      manifest.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MANIFEST + " of the state store's copy", e);
    }
    if (manifest.getProperty("schemaVersion") == null) {
      throw new StateStoreException(MANIFEST + " names no schemaVersion");
    }
    return manifest;
  }

  private static String entry(String table) {
    return "postgres/" + table + ".csv";
  }

  /** Reads the CSV header line: the columns, by name, so column order may differ. */
  private static String header(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.write(b);
    }
    List<String> columns = names(line.toString(StandardCharsets.UTF_8).strip());
    return String.join(", ", columns);
  }

  private static List<String> names(String commaSeparated) {
    List<String> names = new ArrayList<>();
    for (String name : commaSeparated.split(",")) {
      if (!name.isBlank()) {
        names.add(checkName(name.strip()));
      }
    }
    return names;
  }

  /** Names go into SQL text: only plain lower-case identifiers, as Sentinel's schema uses. */
  private static String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new StateStoreException("not a plain table, column or sequence name: '" + name + "'");
    }
    return name;
  }

  private static List<String> tables(Connection connection) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename <> '"
                    + HISTORY_TABLE
                    + "' ORDER BY tablename")) {
      while (rows.next()) {
        tables.add(checkName(rows.getString(1)));
      }
    }
    return tables;
  }

  private static Map<String, Long> sequences(Connection connection) throws SQLException {
    Map<String, Long> sequences = new TreeMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT sequencename, last_value FROM pg_sequences"
                    + " WHERE schemaname = current_schema() AND last_value IS NOT NULL")) {
      while (rows.next()) {
        sequences.put(checkName(rows.getString(1)), rows.getLong(2));
      }
    }
    return sequences;
  }

  private static Optional<AuditHead.Mark> auditHead(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT last_sequence, last_hash FROM audit_head WHERE last_sequence > 0")) {
      return rows.next()
          ? Optional.of(new AuditHead.Mark(rows.getLong(1), rows.getString(2)))
          : Optional.empty();
    }
  }
}
