package dev.sentinel.postgres;

import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.ApiKeyStoreContract;
import dev.sentinel.access.KeyHasher;
import dev.sentinel.audit.AuditTrail;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The API-key contract on PostgreSQL, auditing to the PostgreSQL audit trail. */
class PostgresApiKeyStoreTest extends ApiKeyStoreContract {

  private DataSource dataSource;
  private AuditTrail audit;
  private KeyHasher hasher;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    TestDatabases.reset(dataSource);
    audit = TestDatabases.auditTrail(dataSource);
    hasher = TestDatabases.keyHasher();
  }

  @Override
  protected ApiKeyStore store(Clock clock) {
    return new PostgresApiKeyStore(dataSource, audit, clock, hasher);
  }

  @Override
  protected AuditTrail audit() {
    return audit;
  }

  @Override
  protected String storedText() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT coalesce(string_agg(row_to_json(k)::text, E'\\n'), '') FROM api_keys k")) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
