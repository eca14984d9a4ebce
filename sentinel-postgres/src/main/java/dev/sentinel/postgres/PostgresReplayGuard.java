package dev.sentinel.postgres;

import dev.sentinel.notify.ReplayGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Seen Slack request signatures in PostgreSQL: the primary key makes "first one wins" atomic across
 * instances ({@code ON CONFLICT DO NOTHING} inserts for exactly one of them).
 */
public final class PostgresReplayGuard implements ReplayGuard {

  private final DataSource dataSource;

  public PostgresReplayGuard(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public boolean firstSeen(String key, long nowMillis, long forgetBeforeMillis) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement prune =
            connection.prepareStatement("DELETE FROM slack_replays WHERE seen_at < ?");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO slack_replays (signature, seen_at) VALUES (?, ?) ON CONFLICT DO"
                    + " NOTHING")) {
      prune.setLong(1, forgetBeforeMillis);
      prune.executeUpdate();
      insert.setString(1, key);
      insert.setLong(2, nowMillis);
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StateStoreException("cannot check a request for replay: " + e.getMessage(), e);
    }
  }
}
