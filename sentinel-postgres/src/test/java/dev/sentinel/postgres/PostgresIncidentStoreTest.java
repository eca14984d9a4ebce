package dev.sentinel.postgres;

import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.IncidentStoreContract;

/** The incident-store contract on PostgreSQL. */
class PostgresIncidentStoreTest extends IncidentStoreContract {

  @Override
  protected IncidentStore store() {
    try {
      return new PostgresIncidentStore(
          TestDatabases.emptied("incident_events", "incident_anomalies", "incidents"));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test database", e);
    }
  }
}
