package dev.sentinel.postgres;

import dev.sentinel.audit.AuditTrail;
import dev.sentinel.audit.AuditTrailContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The audit-trail contract on the bundled PostgreSQL. */
class PostgresAuditTrailTest extends AuditTrailContract {

  private DataSource dataSource;
  private Path headFile;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.bundled().dataSource();
    TestDatabases.reset(dataSource);
    headFile = Files.createTempDirectory("sentinel-audit-head").resolve("audit-head");
  }

  @Override
  protected AuditTrail trail() {
    try {
      return new PostgresAuditTrail(
          dataSource, TestDatabases.bundled().secrets().auditKey(), headFile);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void alterActor(long sequence, String actor) {
    execute("UPDATE audit_log SET actor = ? WHERE sequence = ?", actor, sequence);
  }

  @Override
  protected void delete(long sequence) {
    execute("DELETE FROM audit_log WHERE sequence = ?", sequence);
  }

  private void execute(String sql, Object... parameters) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
