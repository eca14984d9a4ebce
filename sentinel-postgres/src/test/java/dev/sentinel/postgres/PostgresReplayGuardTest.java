package dev.sentinel.postgres;

import dev.sentinel.notify.ReplayGuard;
import dev.sentinel.notify.ReplayGuardContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The replay-guard contract on the bundled PostgreSQL; each call is a new adapter instance. */
class PostgresReplayGuardTest extends ReplayGuardContract {

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.emptied("slack_replays");
  }

  @Override
  protected ReplayGuard guard() {
    return new PostgresReplayGuard(dataSource);
  }
}
