package dev.sentinel.postgres;

import dev.sentinel.notify.Outbox;
import dev.sentinel.notify.OutboxContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The outbox contract on the bundled PostgreSQL (or the machine's own, as CI sets it). */
class PostgresOutboxTest extends OutboxContract {

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.emptied("notification_outbox");
  }

  @Override
  protected Outbox outbox() {
    return new PostgresOutbox(dataSource);
  }

  @Override
  protected Outbox reopen() {
    return new PostgresOutbox(dataSource);
  }
}
