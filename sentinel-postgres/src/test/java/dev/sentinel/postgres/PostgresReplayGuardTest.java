package dev.sentinel.postgres;

import dev.sentinel.notify.ReplayGuard;
import dev.sentinel.notify.ReplayGuardContract;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The replay-guard contract on the bundled PostgreSQL; each call is a new adapter instance. */
class PostgresReplayGuardTest extends ReplayGuardContract {

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE slack_replays");
    }
  }

  @Override
  protected ReplayGuard guard() {
    return new PostgresReplayGuard(dataSource);
  }
}
