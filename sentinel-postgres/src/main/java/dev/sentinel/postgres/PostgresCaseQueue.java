package dev.sentinel.postgres;

import dev.sentinel.workflow.CaseQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Workflow cases in PostgreSQL. A claim is a transaction that holds the case's row lock, taken with
 * {@code FOR UPDATE SKIP LOCKED} so workers on every instance skip cases others hold; when a worker
 * dies its connection drops, the lock goes with it, and the case is runnable for the next.
 */
public final class PostgresCaseQueue implements CaseQueue {

  private final DataSource dataSource;
  private final Clock clock;

  public PostgresCaseQueue(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  @Override
  public void enqueue(String incidentId, long notBeforeMillis) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO workflow_cases (incident_id, run, state, due_at) VALUES (?, 1,"
                    + " 'runnable', ?) ON CONFLICT (incident_id) DO UPDATE SET state ="
                    + " 'runnable', run = workflow_cases.run + 1, due_at = EXCLUDED.due_at"
                    + " WHERE workflow_cases.state = 'done'")) {
      upsert.setString(1, incidentId);
      upsert.setLong(2, notBeforeMillis);
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException(
          "cannot queue the workflow of " + incidentId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Claim> claim(String worker) {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      String incidentId;
      int run;
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT incident_id, run FROM workflow_cases WHERE state = 'runnable' AND due_at <= ?"
                  + " ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
        select.setLong(1, clock.millis());
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            connection.rollback();
            connection.close();
            return Optional.empty();
          }
          incidentId = row.getString(1);
          run = row.getInt(2);
        }
      }
      try (PreparedStatement mark =
          connection.prepareStatement(
              "UPDATE workflow_cases SET claimed_by = ?, claimed_at = ? WHERE incident_id = ?")) {
        mark.setString(1, worker);
        mark.setLong(2, clock.millis());
        mark.setString(3, incidentId);
        mark.executeUpdate();
      }
      return Optional.of(new RowClaim(connection, incidentId, run));
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new StateStoreException("cannot claim a workflow case: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean wakeWaiting(String incidentId, Consumer<Integer> change) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int run;
        try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT run FROM workflow_cases WHERE incident_id = ? AND state = 'waiting'"
                    + " FOR UPDATE SKIP LOCKED")) {
          select.setString(1, incidentId);
          try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
              connection.rollback();
              return false;
            }
            run = row.getInt(1);
          }
        }
        change.accept(run);
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE workflow_cases SET state = 'runnable', due_at = 0 WHERE incident_id = ?")) {
          update.setString(1, incidentId);
          update.executeUpdate();
        }
        connection.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException(
          "cannot wake the workflow of " + incidentId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int currentRun(String incidentId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT run FROM workflow_cases WHERE incident_id = ?")) {
      select.setString(1, incidentId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw new StateStoreException(
          "cannot read the workflow of " + incidentId + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.rollback();
        connection.close();
      } catch (SQLException ignored) {
        // The connection is broken already; the pool replaces it.
      }
    }
  }

  /** A claimed case: the open transaction that holds its row lock. */
  private static final class RowClaim implements Claim {
    private final Connection connection;
    private final String incidentId;
    private final int run;

    RowClaim(Connection connection, String incidentId, int run) {
      this.connection = connection;
      this.incidentId = incidentId;
      this.run = run;
    }

    @Override
    public String incidentId() {
      return incidentId;
    }

    @Override
    public int run() {
      return run;
    }

    @Override
    public void park() {
      set("state = 'waiting'", null);
    }

    @Override
    public void finish() {
      set("state = 'done'", null);
    }

    @Override
    public void retryAt(long atMillis) {
      set("due_at = ?", atMillis);
    }

    private void set(String assignment, Long value) {
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE workflow_cases SET " + assignment + " WHERE incident_id = ?")) {
        int index = 1;
        if (value != null) {
          update.setLong(index++, value);
        }
        update.setString(index, incidentId);
        update.executeUpdate();
      } catch (SQLException e) {
        throw new StateStoreException(
            "cannot update the workflow case " + incidentId + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        connection.commit();
        connection.close();
      } catch (SQLException e) {
        closeQuietly(connection);
        throw new StateStoreException(
            "cannot release the workflow case " + incidentId + ": " + e.getMessage(), e);
      }
    }
  }
}
