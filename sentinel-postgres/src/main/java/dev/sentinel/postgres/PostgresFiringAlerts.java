package dev.sentinel.postgres;

import dev.sentinel.incident.FiringAlerts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Firing alerts in PostgreSQL, beside the incidents they fire on: every instance, and every
 * restart, sees which alerts fire. Each call is one statement, so each is atomic on its own; the
 * correlator's use tolerates the interleavings between calls (at worst a re-send that lands on two
 * instances at once is attached twice to the same incident).
 */
public final class PostgresFiringAlerts implements FiringAlerts {

  private final DataSource dataSource;

  public PostgresFiringAlerts(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<Firing> find(String fingerprint) {
    return firing(
        "SELECT incident_id, starts_at FROM firing_alerts WHERE fingerprint = ? AND firing",
        fingerprint,
        "find a firing alert");
  }

  @Override
  public void fire(String fingerprint, String incidentId, long startsAtMillis) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO firing_alerts (fingerprint, incident_id, starts_at, firing)"
                    + " VALUES (?, ?, ?, true) ON CONFLICT (fingerprint) DO UPDATE SET"
                    + " incident_id = excluded.incident_id, starts_at = excluded.starts_at,"
                    + " firing = true")) {
      upsert.setString(1, fingerprint);
      upsert.setString(2, incidentId);
      upsert.setLong(3, startsAtMillis);
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException("cannot note a firing alert: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Firing> resolve(String fingerprint) {
    return firing(
        "UPDATE firing_alerts SET firing = false WHERE fingerprint = ? AND firing"
            + " RETURNING incident_id, starts_at",
        fingerprint,
        "note a resolved alert");
  }

  @Override
  public boolean firesOn(String incidentId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT 1 FROM firing_alerts WHERE incident_id = ? AND firing LIMIT 1")) {
      select.setString(1, incidentId);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the firing alerts: " + e.getMessage(), e);
    }
  }

  @Override
  public OptionalLong silenced(String incidentId) {
    // One statement: the resolved alerts go only when none of the incident's alerts fires.
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM firing_alerts WHERE incident_id = ? AND NOT firing AND NOT EXISTS"
                    + " (SELECT 1 FROM firing_alerts f WHERE f.incident_id = ? AND f.firing)"
                    + " RETURNING starts_at")) {
      delete.setString(1, incidentId);
      delete.setString(2, incidentId);
      OptionalLong newest = OptionalLong.empty();
      try (ResultSet rows = delete.executeQuery()) {
        while (rows.next()) {
          long start = rows.getLong(1);
          newest = OptionalLong.of(Math.max(start, newest.orElse(Long.MIN_VALUE)));
        }
      }
      return newest;
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the firing alerts: " + e.getMessage(), e);
    }
  }

  private Optional<Firing> firing(String sql, String fingerprint, String what) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, fingerprint);
      try (ResultSet row = statement.executeQuery()) {
        return row.next()
            ? Optional.of(new Firing(row.getString(1), row.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }
}
