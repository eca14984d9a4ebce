package dev.sentinel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.testing.ManualClock;
import dev.sentinel.workflow.CaseQueue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases: a claim holds no transaction, expires unless renewed, and fences a stale worker out. */
class PostgresCaseQueueTest {

  private static final long LEASE = 30_000;
  private final ManualClock clock = new ManualClock(1_764_000_000_000L);
  private DataSource dataSource;
  private PostgresCaseQueue queue;

  @BeforeEach
  void fresh() throws Exception {
    dataSource = TestDatabases.emptied("workflow_cases");
    queue = new PostgresCaseQueue(dataSource, clock, LEASE);
  }

  private String state(String incidentId) throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT state FROM workflow_cases WHERE incident_id = '" + incidentId + "'")) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void a_claim_is_committed_at_once_and_holds_no_transaction_open() throws Exception {
    queue.enqueue("inc-1", 0);
    CaseQueue.Claim claim = queue.claim("a").orElseThrow();

    // Read from another connection: the claim is visible, so nothing is held uncommitted.
    assertThat(state("inc-1")).isEqualTo("running");
    assertThat(queue.claim("b")).as("a live lease is not taken").isEmpty();
    claim.finish();
    claim.close();
    assertThat(state("inc-1")).isEqualTo("done");
  }

  @Test
  void an_expired_lease_is_taken_over_and_the_stale_worker_changes_nothing() throws Exception {
    queue.enqueue("inc-1", 0);
    CaseQueue.Claim first = queue.claim("a").orElseThrow();
    clock.advance(LEASE / 2);
    assertThat(first.renew()).isTrue();
    clock.advance(LEASE / 2 + 1);
    assertThat(queue.claim("b")).as("renewed, so still a's").isEmpty();

    clock.advance(LEASE);
    CaseQueue.Claim second = queue.claim("b").orElseThrow();
    assertThat(second.incidentId()).isEqualTo("inc-1");
    assertThat(second.run()).isEqualTo(1);

    assertThat(first.renew()).as("a lost its lease").isFalse();
    first.finish(); // a stale verdict: fenced out
    first.close();
    assertThat(state("inc-1")).isEqualTo("running");
    second.park();
    second.close();
    assertThat(state("inc-1")).isEqualTo("waiting");
  }

  @Test
  void a_claim_closed_without_a_verdict_is_runnable_again_at_once() throws Exception {
    queue.enqueue("inc-1", 0);
    queue.claim("a").orElseThrow().close();
    assertThat(state("inc-1")).isEqualTo("runnable");
    assertThat(queue.claim("b")).isPresent();
  }

  @Test
  void a_reopened_incident_whose_case_is_running_runs_again_once_the_run_stops() throws Exception {
    queue.enqueue("inc-1", 0);
    CaseQueue.Claim claim = queue.claim("a").orElseThrow();
    queue.enqueue("inc-1", 0);
    assertThat(queue.currentRun("inc-1")).isEqualTo(1);
    claim.finish();
    claim.close();
    assertThat(state("inc-1")).isEqualTo("runnable");
    assertThat(queue.claim("b").orElseThrow().run()).isEqualTo(2);
  }
}
