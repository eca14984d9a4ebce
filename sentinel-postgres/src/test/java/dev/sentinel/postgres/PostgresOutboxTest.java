package dev.sentinel.postgres;

import dev.sentinel.notify.Outbox;
import dev.sentinel.notify.OutboxContract;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The outbox contract on the bundled PostgreSQL (or the machine's own, as CI sets it). */
class PostgresOutboxTest extends OutboxContract {

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE notification_outbox");
    }
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
