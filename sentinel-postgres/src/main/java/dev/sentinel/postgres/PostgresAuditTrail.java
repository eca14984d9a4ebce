package dev.sentinel.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditChain;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditKey;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.audit.Verification;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail in PostgreSQL. Appends lock the single {@code audit_head} row, so appenders in
 * every Sentinel instance take turns and the chain has one order; the head also records the newest
 * entry, which is how a removed tail is noticed.
 *
 * <p>Entries are keyed with the {@link AuditKey}, which is not in the database, so a writer of the
 * database cannot forge or rewrite one. A trail begun before keys existed keeps its plain entries:
 * the first append with a key writes an {@code audit.keyed} entry, and every entry from there on is
 * keyed. Since the database's own head can be moved back together with a cut of the newest entries,
 * each append also records its entry in a file outside the database ({@link AuditHead}), which
 * {@link #verify()} compares.
 */
public final class PostgresAuditTrail implements AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(PostgresAuditTrail.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> DETAILS = new TypeReference<>() {};

  private final DataSource dataSource;
  private final AuditKey key;
  private final AuditHead head;

  /**
   * @param key the key of the chain, the same on every instance that shares the database
   * @param headFile where this instance records the newest entry it wrote (see {@link
   *     StateSecrets#auditHead()})
   */
  public PostgresAuditTrail(DataSource dataSource, AuditKey key, Path headFile) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.key = Objects.requireNonNull(key, "key");
    this.head = new AuditHead(Objects.requireNonNull(headFile, "headFile"));
  }

  /** The trail of a state store whose secrets are {@code secrets}. */
  public PostgresAuditTrail(DataSource dataSource, StateSecrets secrets) {
    this(dataSource, secrets.auditKey(), secrets.auditHead());
  }

  @Override
  public AuditEntry append(AuditRecord record) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Appended appended = appendLocked(connection, record);
        connection.commit();
        // Inside a larger transaction (the incident desk's), only once that one has committed: a
        // head file naming an entry that was rolled back would read as a cut trail.
        PostgresTransactions.afterCommit(dataSource, () -> recordHead(appended));
        return appended.entry();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot append to the audit trail: " + e.getMessage(), e);
    }
  }

  /**
   * An appended entry, and whether the entry this instance wrote before was still in place: when it
   * was not, the head file is left as it is, as evidence for {@link #verify()}.
   */
  private record Appended(AuditEntry entry, boolean headIntact) {}

  /** Records the entry outside the database; the append has committed, so it is not undone. */
  private void recordHead(Appended appended) {
    if (!appended.headIntact()) {
      return;
    }
    AuditEntry entry = appended.entry();
    try {
      head.write(entry.sequence(), entry.hash());
    } catch (UncheckedIOException e) {
      log.error(
          "audit entry {} was written, but the head file {} could not be updated: a cut of the"
              + " newest entries will not be detected until it can",
          entry.sequence(),
          head.file(),
          e);
    }
  }

  private Appended appendLocked(Connection connection, AuditRecord record) throws SQLException {
    long last;
    String lastHash;
    long anchor;
    String anchorHash;
    try (PreparedStatement head =
            connection.prepareStatement(
                "SELECT last_sequence, last_hash, anchor_sequence, anchor_hash FROM audit_head"
                    + " WHERE id = 1 FOR UPDATE");
        ResultSet row = head.executeQuery()) {
      row.next();
      last = row.getLong(1);
      lastHash = row.getString(2);
      anchor = row.getLong(3);
      anchorHash = row.getString(4);
    }
    Optional<AuditHead.Mark> mark = readHead();
    boolean headIntact = mark.isEmpty() || stillWritten(connection, mark.get(), anchor);
    if (!headIntact) {
      // Appending anyway: the record must not be lost. The head file keeps the entry that went
      // missing, so verification keeps reporting it until someone looks.
      log.error(
          "the audit trail was changed outside Sentinel: entry {} is not the one this instance"
              + " wrote (recorded in {}); run 'sentinel audit verify'",
          mark.get().sequence(),
          head.file());
    }
    if (last > 0 && !AuditChain.isKeyed(lastHash) && mark.isEmpty()) {
      // The first keyed entry of a trail begun without a key: it names the anchor it found, which
      // is the only record of pruning done before keys existed. Only an instance that never wrote
      // a keyed entry may start the keyed part: otherwise a trail rewritten with plain hashes
      // would be sealed by the next append.
      AuditEntry epoch =
          AuditChain.link(
              last + 1,
              AuditRecord.of(
                  record.atMillis(),
                  "sentinel",
                  AuditAction.AUDIT_KEYED,
                  null,
                  Map.of(
                      AuditChain.ANCHOR_SEQUENCE,
                      Long.toString(anchor),
                      AuditChain.ANCHOR_HASH,
                      anchorHash,
                      "plainEntries",
                      Long.toString(last))),
              lastHash,
              key);
      insert(connection, epoch);
      last = epoch.sequence();
      lastHash = epoch.hash();
    }
    AuditEntry entry = AuditChain.link(last + 1, record, lastHash, key);
    insert(connection, entry);
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE audit_head SET last_sequence = ?, last_hash = ? WHERE id = 1")) {
      update.setLong(1, entry.sequence());
      update.setString(2, entry.hash());
      update.executeUpdate();
    }
    return new Appended(entry, headIntact);
  }

  private Optional<AuditHead.Mark> readHead() {
    try {
      return head.read();
    } catch (UncheckedIOException | IllegalStateException e) {
      log.error("the audit head file {} cannot be read; appending without it", head.file(), e);
      return Optional.empty();
    }
  }

  /** Whether the entry this instance last wrote is still in the trail, unchanged (or pruned). */
  private static boolean stillWritten(Connection connection, AuditHead.Mark mark, long anchor)
      throws SQLException {
    if (mark.sequence() <= anchor) {
      return true;
    }
    try (PreparedStatement select =
        connection.prepareStatement("SELECT hash FROM audit_log WHERE sequence = ?")) {
      select.setLong(1, mark.sequence());
      try (ResultSet row = select.executeQuery()) {
        return row.next() && row.getString(1).equals(mark.hash());
      }
    }
  }

  private static void insert(Connection connection, AuditEntry entry) throws SQLException {
    AuditRecord record = entry.record();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit_log (sequence, at_millis, actor, action, incident_id, details,"
                + " previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
      insert.setLong(1, entry.sequence());
      insert.setLong(2, record.atMillis());
      insert.setString(3, record.actor());
      insert.setString(4, record.action().code());
      insert.setString(5, record.incidentId());
      insert.setString(6, json(record.details()));
      insert.setString(7, entry.previousHash());
      insert.setString(8, entry.hash());
      insert.executeUpdate();
    }
  }

  @Override
  public List<AuditEntry> find(AuditQuery query) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT sequence, at_millis, actor, action, incident_id, details::text, previous_hash,"
                + " hash FROM audit_log WHERE sequence > ?");
    List<Object> parameters = new ArrayList<>();
    parameters.add(query.afterSequence());
    if (query.actor() != null) {
      sql.append(" AND actor = ?");
      parameters.add(query.actor());
    }
    if (query.action() != null) {
      sql.append(" AND action = ?");
      parameters.add(query.action().code());
    }
    if (query.incidentId() != null) {
      sql.append(" AND incident_id = ?");
      parameters.add(query.incidentId());
    }
    if (query.fromMillis() != null) {
      sql.append(" AND at_millis >= ?");
      parameters.add(query.fromMillis());
    }
    if (query.toMillis() != null) {
      sql.append(" AND at_millis < ?");
      parameters.add(query.toMillis());
    }
    sql.append(" ORDER BY sequence LIMIT ?");
    parameters.add(query.limit());
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < parameters.size(); i++) {
        select.setObject(i + 1, parameters.get(i));
      }
      List<AuditEntry> entries = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          entries.add(entry(rows));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the chain from the anchor to the end with the key; then that the database's head names
   * the last entry; then that the entry this instance last wrote (from the head file) is still
   * there, unchanged.
   */
  @Override
  public Verification verify() {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      long anchorSequence;
      String anchorHash;
      long lastSequence;
      String lastHash;
      try (PreparedStatement head =
              connection.prepareStatement(
                  "SELECT anchor_sequence, anchor_hash, last_sequence, last_hash FROM audit_head"
                      + " WHERE id = 1");
          ResultSet row = head.executeQuery()) {
        row.next();
        anchorSequence = row.getLong(1);
        anchorHash = row.getString(2);
        lastSequence = row.getLong(3);
        lastHash = row.getString(4);
      }
      Verification result;
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT sequence, at_millis, actor, action, incident_id, details::text,"
                  + " previous_hash, hash FROM audit_log WHERE sequence > ? ORDER BY sequence")) {
        select.setFetchSize(1000);
        select.setLong(1, anchorSequence);
        try (ResultSet rows = select.executeQuery()) {
          result = AuditChain.verify(new Rows(rows), anchorSequence, anchorHash, key);
        } catch (UnreadableEntry e) {
          result = new Verification.Broken(e.sequence, e.getMessage());
        }
      }
      if (result instanceof Verification.Intact intact) {
        result = checkHeads(connection, intact, anchorSequence, lastSequence, lastHash);
      }
      connection.commit();
      return result;
    } catch (SQLException e) {
      throw new StateStoreException("cannot verify the audit trail: " + e.getMessage(), e);
    }
  }

  private Verification checkHeads(
      Connection connection,
      Verification.Intact intact,
      long anchorSequence,
      long lastSequence,
      String lastHash)
      throws SQLException {
    long end = intact.lastSequence();
    if (end != lastSequence) {
      return new Verification.Broken(
          end + 1,
          "the trail ends at entry "
              + end
              + " but entries up to "
              + lastSequence
              + " were written: the newest entries were removed");
    }
    if (!intact.lastHash().equals(lastHash)) {
      return new Verification.Broken(
          end, "entry " + end + " is not the one the database's head names: the head was changed");
    }
    Optional<AuditHead.Mark> mark = head.read();
    if (mark.isEmpty() || mark.get().sequence() <= anchorSequence) {
      return intact;
    }
    long written = mark.get().sequence();
    if (written > end) {
      return new Verification.Broken(
          end + 1,
          "the trail ends at entry "
              + end
              + " but this instance wrote entry "
              + written
              + " (recorded in "
              + head.file()
              + "): the newest entries were removed and the head moved back");
    }
    if (!stillWritten(connection, mark.get(), anchorSequence)) {
      return new Verification.Broken(
          written,
          "entry "
              + written
              + " is not the entry this instance wrote (recorded in "
              + head.file()
              + "): the trail was rewritten");
    }
    return intact;
  }

  @Override
  public long pruneBefore(long cutoffMillis, String actor) {
    long removed;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Optional<Pruned> pruned = pruneLocked(connection, cutoffMillis);
        removed = pruned.map(Pruned::removed).orElse(0L);
        if (pruned.isPresent()) {
          // Keyed and naming the new anchor: the verifier accepts a moved anchor only with this.
          Appended appended =
              appendLocked(
                  connection,
                  AuditRecord.of(
                      System.currentTimeMillis(),
                      actor,
                      AuditAction.AUDIT_PRUNED,
                      null,
                      Map.of(
                          "removed",
                          Long.toString(removed),
                          "before",
                          Long.toString(cutoffMillis),
                          AuditChain.ANCHOR_SEQUENCE,
                          Long.toString(pruned.get().anchorSequence()),
                          AuditChain.ANCHOR_HASH,
                          pruned.get().anchorHash())));
          connection.commit();
          recordHead(appended);
        } else {
          connection.commit();
        }
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot prune the audit trail: " + e.getMessage(), e);
    }
    return removed;
  }

  private record Pruned(long removed, long anchorSequence, String anchorHash) {}

  private static Optional<Pruned> pruneLocked(Connection connection, long cutoffMillis)
      throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE")) {
      lock.executeQuery().close();
    }
    // Entries are pruned as a prefix of the chain, so the anchor is always one real entry.
    long newAnchor;
    String newAnchorHash;
    try (PreparedStatement last =
        connection.prepareStatement(
            "SELECT sequence, hash FROM audit_log WHERE sequence < (SELECT COALESCE(MIN(sequence),"
                + " 9223372036854775807) FROM audit_log WHERE at_millis >= ?) ORDER BY sequence"
                + " DESC LIMIT 1")) {
      last.setLong(1, cutoffMillis);
      try (ResultSet row = last.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        newAnchor = row.getLong(1);
        newAnchorHash = row.getString(2);
      }
    }
    long removed;
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM audit_log WHERE sequence <= ?")) {
      delete.setLong(1, newAnchor);
      removed = delete.executeUpdate();
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE audit_head SET anchor_sequence = ?, anchor_hash = ? WHERE id = 1")) {
      update.setLong(1, newAnchor);
      update.setString(2, newAnchorHash);
      update.executeUpdate();
    }
    return Optional.of(new Pruned(removed, newAnchor, newAnchorHash));
  }

  private static AuditEntry entry(ResultSet rows) throws SQLException {
    long sequence = rows.getLong(1);
    try {
      TreeMap<String, String> details = JSON.readValue(rows.getString(6), DETAILS);
      AuditRecord record =
          new AuditRecord(
              rows.getLong(2),
              rows.getString(3),
              AuditAction.fromCode(rows.getString(4)),
              rows.getString(5),
              details);
      return new AuditEntry(sequence, record, rows.getString(7), rows.getString(8));
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new UnreadableEntry(sequence, "entry " + sequence + " was altered: " + e.getMessage());
    }
  }

  /** A row that no longer parses as an audit entry: itself evidence of tampering. */
  private static final class UnreadableEntry extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long sequence;

    UnreadableEntry(long sequence, String message) {
      super(message);
      this.sequence = sequence;
    }
  }

  private static String json(Map<String, String> details) {
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  /** Streams result rows as entries, so verifying a long trail holds one page in memory. */
  private static final class Rows implements Iterator<AuditEntry> {
    private final ResultSet rows;
    private Boolean ready;

    Rows(ResultSet rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      if (ready == null) {
        try {
          ready = rows.next();
        } catch (SQLException e) {
          throw new StateStoreException("cannot read the audit trail: " + e.getMessage(), e);
        }
      }
      return ready;
    }

    @Override
    public AuditEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ready = null;
      try {
        return entry(rows);
      } catch (SQLException e) {
        throw new StateStoreException("cannot read the audit trail: " + e.getMessage(), e);
      }
    }
  }
}
