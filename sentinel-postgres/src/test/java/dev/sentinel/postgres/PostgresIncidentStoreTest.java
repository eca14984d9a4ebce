package dev.sentinel.postgres;

import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.IncidentStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The incident-store contract on PostgreSQL. */
class PostgresIncidentStoreTest extends IncidentStoreContract {

  @Override
  protected IncidentStore store() {
    try {
      DataSource dataSource = TestDatabases.bundled().dataSource();
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("TRUNCATE incident_events, incident_anomalies, incidents");
      }
      return new PostgresIncidentStore(dataSource);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test database", e);
    }
  }
}
