package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresReplayGuardTest {

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE slack_replays");
    }
  }

  @Test
  void a_signature_is_new_once_even_for_another_instance() {
    assertThat(new PostgresReplayGuard(dataSource).firstSeen("v0=abc", 1_000, 0)).isTrue();
    assertThat(new PostgresReplayGuard(dataSource).firstSeen("v0=abc", 2_000, 0)).isFalse();
    assertThat(new PostgresReplayGuard(dataSource).firstSeen("v0=def", 2_000, 0)).isTrue();
  }

  @Test
  void expired_signatures_are_forgotten() {
    PostgresReplayGuard guard = new PostgresReplayGuard(dataSource);
    guard.firstSeen("v0=abc", 1_000, 0);
    assertThat(guard.firstSeen("v0=abc", 400_000, 100_000)).isTrue();
  }
}
