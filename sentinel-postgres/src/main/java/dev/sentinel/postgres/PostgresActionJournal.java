package dev.sentinel.postgres;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.workflow.ActionJournal;
import dev.sentinel.workflow.CaseCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The action journal in PostgreSQL, keyed by idempotency key. */
public final class PostgresActionJournal implements ActionJournal {

  private final DataSource dataSource;
  private final CaseCodec codec = new CaseCodec();

  public PostgresActionJournal(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<Entry> find(String key) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT action::text, prior::text, result::text FROM action_journal WHERE key = ?")) {
      select.setString(1, key);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Entry(
                key,
                codec.read(row.getString(1), Action.class),
                codec.read(row.getString(2), PriorState.class),
                codec.read(row.getString(3), ActionResult.class)));
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the action journal: " + e.getMessage(), e);
    }
  }

  @Override
  public void started(String key, String incidentId, Action action, PriorState prior) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO action_journal (key, incident_id, action, prior, started_at)"
                    + " VALUES (?, ?, ?::jsonb, ?::jsonb, ?) ON CONFLICT (key) DO NOTHING")) {
      insert.setString(1, key);
      insert.setString(2, incidentId);
      insert.setString(3, codec.write(action));
      insert.setString(4, prior == null ? null : codec.write(prior));
      insert.setLong(5, System.currentTimeMillis());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException("cannot journal action " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean finished(String key, ActionResult result) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE action_journal SET result = ?::jsonb, finished_at = ? WHERE key = ?"
                    + " AND result IS NULL")) {
      update.setString(1, codec.write(result));
      update.setLong(2, System.currentTimeMillis());
      update.setString(3, key);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StateStoreException(
          "cannot journal the result of " + key + ": " + e.getMessage(), e);
    }
  }
}
