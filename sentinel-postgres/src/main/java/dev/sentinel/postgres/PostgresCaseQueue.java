package dev.sentinel.postgres;

import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.workflow.CaseQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Workflow cases in PostgreSQL. A claim is a lease: one committed statement marks the case {@code
 * running} with the worker's token and an expiry, the worker renews it while it works, and every
 * verdict is one more statement fenced by the token. No transaction is held across a run, so a
 * run's LLM calls, actions and verification sleeps never pin a connection. A worker that dies stops
 * renewing; once its lease has expired, any instance's worker claims the case and resumes it from
 * its last checkpoint.
 */
public final class PostgresCaseQueue implements CaseQueue {

  /** The workflow's default lease; the runner renews it every sixth of it. */
  public static final long DEFAULT_LEASE_MILLIS = 30_000;

  /**
   * A run stops in the given state ({@code %s}), unless it was marked to run again: then the next
   * run is due at once ({@code ?}).
   */
  private static final String STOP =
      "state = CASE WHEN rerun THEN 'runnable' ELSE %s END,"
          + " run = CASE WHEN rerun THEN run + 1 ELSE run END,"
          + " due_at = CASE WHEN rerun THEN ? ELSE due_at END, rerun = false,"
          + " claimed_by = NULL, lease_until = 0";

  /** Only the lease holder's verdicts count: the incident and the token ({@code ? ?}). */
  private static final String FENCE =
      " WHERE incident_id = ? AND claimed_by = ? AND state = 'running'";

  private final DataSource dataSource;
  private final Clock clock;
  private final long leaseMillis;

  public PostgresCaseQueue(DataSource dataSource, Clock clock) {
    this(dataSource, clock, DEFAULT_LEASE_MILLIS);
  }

  public PostgresCaseQueue(DataSource dataSource, Clock clock, long leaseMillis) {
    if (leaseMillis < 1) {
      throw new IllegalArgumentException("leaseMillis must be >= 1, was " + leaseMillis);
    }
    this.dataSource = dataSource;
    this.clock = clock;
    this.leaseMillis = leaseMillis;
  }

  /**
   * A new incident gets run 1. A finished case, or one waiting on a stale plan, starts the next run
   * (the incident reopened: the old plan answered another fault). A running case is marked to run
   * again once its current run stops. A runnable case is left as it is.
   */
  @Override
  public void enqueue(String incidentId, long notBeforeMillis) {
    update(
        "INSERT INTO workflow_cases (incident_id, run, state, due_at) VALUES (?, 1, 'runnable', ?)"
            + " ON CONFLICT (incident_id) DO UPDATE SET"
            + " run = CASE WHEN workflow_cases.state IN ('done', 'waiting')"
            + " THEN workflow_cases.run + 1 ELSE workflow_cases.run END,"
            + " due_at = CASE WHEN workflow_cases.state IN ('done', 'waiting')"
            + " THEN EXCLUDED.due_at ELSE workflow_cases.due_at END,"
            + " rerun = workflow_cases.rerun OR workflow_cases.state = 'running',"
            + " state = CASE WHEN workflow_cases.state IN ('done', 'waiting')"
            + " THEN 'runnable' ELSE workflow_cases.state END",
        "cannot queue the workflow of " + incidentId,
        incidentId,
        notBeforeMillis);
  }

  @Override
  public Optional<Claim> claim(String worker) {
    long now = clock.millis();
    String token = worker + "#" + UUID.randomUUID();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement claim =
            connection.prepareStatement(
                "UPDATE workflow_cases SET state = 'running', claimed_by = ?, claimed_at = ?,"
                    + " lease_until = ? WHERE incident_id = (SELECT incident_id FROM"
                    + " workflow_cases WHERE (state = 'runnable' AND due_at <= ?) OR (state ="
                    + " 'running' AND lease_until < ?) ORDER BY due_at LIMIT 1 FOR UPDATE SKIP"
                    + " LOCKED) RETURNING incident_id, run")) {
      claim.setString(1, token);
      claim.setLong(2, now);
      claim.setLong(3, now + leaseMillis);
      claim.setLong(4, now);
      claim.setLong(5, now);
      try (ResultSet row = claim.executeQuery()) {
        return row.next()
            ? Optional.of(new LeaseClaim(row.getString(1), row.getInt(2), token))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot claim a workflow case: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean wakeWaiting(String incidentId, IncidentStatus next, Consumer<Integer> change) {
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
        show(connection, incidentId, next, IncidentStatus.AWAITING_APPROVAL);
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

  /**
   * Moves the incident to {@code to} when it is in one of {@code from}; leaves it be otherwise (it
   * was resolved or escalated under the case, which the run finds out for itself).
   */
  private static void show(
      Connection connection, String incidentId, IncidentStatus to, IncidentStatus... from)
      throws SQLException {
    StringBuilder in = new StringBuilder();
    for (IncidentStatus status : from) {
      status.checkTransition(to);
      in.append(in.isEmpty() ? "'" : ", '").append(status.code()).append('\'');
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE incidents SET status = ? WHERE id = ? AND status IN (" + in + ")")) {
      update.setString(1, to.code());
      update.setString(2, incidentId);
      update.executeUpdate();
    }
  }

  /** Runs one statement with string and long parameters, in order; returns the rows changed. */
  private int update(String sql, String failure, Object... parameters) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof String text) {
          statement.setString(i + 1, text);
        } else {
          statement.setLong(i + 1, (Long) parameters[i]);
        }
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException(failure + ": " + e.getMessage(), e);
    }
  }

  /**
   * A leased case. Every verdict is fenced by the lease's token: a worker whose lease expired and
   * was taken over changes nothing.
   */
  private final class LeaseClaim implements Claim {
    private final String incidentId;
    private final int run;
    private final String token;

    /** Set by a verdict; the claim's close then has nothing left to release. */
    private boolean decided;

    LeaseClaim(String incidentId, int run, String token) {
      this.incidentId = incidentId;
      this.run = run;
      this.token = token;
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
    public boolean renew() {
      return fenced("lease_until = ?", clock.millis() + leaseMillis) == 1;
    }

    /**
     * Waits for a human, and the incident shows it in the same transaction; a case marked to run
     * again starts its next run instead.
     */
    @Override
    public boolean park() {
      decided = true;
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try (PreparedStatement park =
            connection.prepareStatement(
                "UPDATE workflow_cases SET "
                    + STOP.formatted("'waiting'")
                    + FENCE
                    + " RETURNING state")) {
          park.setLong(1, clock.millis());
          park.setString(2, incidentId);
          park.setString(3, token);
          boolean waiting;
          try (ResultSet row = park.executeQuery()) {
            waiting = row.next() && "waiting".equals(row.getString(1));
          }
          if (waiting) {
            show(
                connection,
                incidentId,
                IncidentStatus.AWAITING_APPROVAL,
                IncidentStatus.OPEN,
                IncidentStatus.REMEDIATING);
          }
          connection.commit();
          return waiting;
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new StateStoreException(
            "cannot park the workflow case " + incidentId + ": " + e.getMessage(), e);
      }
    }

    /** The run ended; a case marked to run again starts its next run. */
    @Override
    public void finish() {
      stop("'done'");
    }

    private void stop(String state) {
      decided = true;
      fenced(STOP.formatted(state), clock.millis());
    }

    @Override
    public void retryAt(long atMillis) {
      decided = true;
      fenced("state = 'runnable', due_at = ?, claimed_by = NULL, lease_until = 0", atMillis);
    }

    /** Without a verdict the case is runnable again at once. */
    @Override
    public void close() {
      if (decided) {
        return;
      }
      fenced("state = 'runnable', claimed_by = NULL, lease_until = 0", null);
    }

    private int fenced(String assignment, Long value) {
      String sql = "UPDATE workflow_cases SET " + assignment + FENCE;
      return value == null
          ? update(sql, "cannot update the workflow case " + incidentId, incidentId, token)
          : update(sql, "cannot update the workflow case " + incidentId, value, incidentId, token);
    }
  }
}
