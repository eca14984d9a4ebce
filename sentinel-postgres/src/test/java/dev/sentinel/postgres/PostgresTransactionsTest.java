package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.notify.Notification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A desk decision's writes across four stores commit together or not at all. */
class PostgresTransactionsTest {

  private static final String[] TABLES = {
    "incidents", "incident_events", "incident_anomalies", "workflow_cases", "notification_outbox"
  };

  private DataSource pool;
  private PostgresTransactions transactions;
  private PostgresIncidentStore incidents;
  private PostgresAuditTrail audit;
  private PostgresCaseQueue cases;
  private PostgresOutbox outbox;

  @BeforeEach
  void fresh() throws Exception {
    pool = TestDatabases.emptied(TABLES);
    TestDatabases.reset(pool);
    transactions = new PostgresTransactions(pool);
    DataSource joining = transactions.dataSource();
    incidents = new PostgresIncidentStore(joining);
    audit = TestDatabases.auditTrail(joining);
    cases = new PostgresCaseQueue(joining, java.time.Clock.systemUTC());
    outbox = new PostgresOutbox(joining);
  }

  private void decide(String id) {
    Anomaly anomaly =
        new Anomaly(
            SeriesKey.of("error_ratio", Map.of("service", "checkout")),
            1_000,
            0.3,
            0,
            0.01,
            9,
            0.9,
            Direction.UP,
            Set.of(DetectorKind.ZSCORE));
    incidents.attach("{service=checkout}", Map.of("service", "checkout"), anomaly, 0, 10, () -> id);
    incidents.record(new TimelineEvent(id, 1_000, "opened", "sentinel", "opened", Map.of()));
    audit.append(AuditRecord.of(1_000, "sentinel", AuditAction.INCIDENT_OPENED, id, Map.of()));
    cases.enqueue(id, 0);
    outbox.enqueue(
        new Notification.IncidentOpened(id, 1_000, "checkout", "CRITICAL", "opened"),
        List.of("slack"),
        1_000);
  }

  private long count(String table) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void a_decision_written_in_one_transaction_lands_whole() throws Exception {
    transactions.inTransaction(() -> decide("inc-1"));

    for (String table : TABLES) {
      assertThat(count(table)).as(table).isPositive();
    }
    assertThat(count("audit_log")).isEqualTo(1);
    assertThat(audit.verify()).isInstanceOf(dev.sentinel.audit.Verification.Intact.class);
  }

  @Test
  void a_decision_that_fails_half_way_leaves_nothing_behind_and_can_be_tried_again()
      throws Exception {
    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      decide("inc-1");
                      throw new IllegalStateException("the outbox write failed");
                    }))
        .hasMessage("the outbox write failed");

    for (String table : TABLES) {
      assertThat(count(table)).as(table).isZero();
    }
    assertThat(count("audit_log")).isZero();

    transactions.inTransaction(() -> decide("inc-1"));
    assertThat(count("incidents")).isEqualTo(1);
    assertThat(count("audit_log")).isEqualTo(1);
    assertThat(count("workflow_cases")).isEqualTo(1);
    // The head file outside the database never named the rolled-back entry: no false tamper.
    assertThat(audit.verify()).isInstanceOf(dev.sentinel.audit.Verification.Intact.class);
  }

  @Test
  void outside_a_transaction_each_store_commits_on_its_own() throws Exception {
    decide("inc-1");
    assertThat(count("incidents")).isEqualTo(1);
    assertThat(count("notification_outbox")).isEqualTo(1);
  }

  @Test
  void an_unreachable_or_restarting_database_is_transient_and_a_refusal_is_not() {
    assertThat(PostgresTransactions.isTransient(new SQLTransientConnectionException("pool empty")))
        .isTrue();
    assertThat(
            PostgresTransactions.isTransient(
                new StateStoreException("x", new SQLException("refused", "08001"))))
        .isTrue();
    assertThat(PostgresTransactions.isTransient(new SQLException("shutting down", "57P01")))
        .isTrue();
    assertThat(PostgresTransactions.isTransient(new SQLException("duplicate", "23505"))).isFalse();
    assertThat(PostgresTransactions.isTransient(new IllegalStateException("a bug"))).isFalse();
  }
}
