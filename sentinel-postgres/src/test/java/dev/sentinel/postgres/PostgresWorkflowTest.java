package dev.sentinel.postgres;

import dev.sentinel.audit.AuditTrail;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.workflow.ActionJournal;
import dev.sentinel.workflow.CaseQueue;
import dev.sentinel.workflow.WorkflowScenarios;
import java.time.Clock;
import javax.sql.DataSource;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.junit.jupiter.api.BeforeEach;

/** The workflow scenarios with every store in PostgreSQL: checkpoints, cases, journal, audit. */
class PostgresWorkflowTest extends WorkflowScenarios {

  private DataSource dataSource;

  @BeforeEach
  void fresh() throws Exception {
    dataSource =
        TestDatabases.emptied(
            "workflow_cases",
            "workflow_checkpoints",
            "action_journal",
            "lessons",
            "incident_events",
            "incident_anomalies",
            "incidents");
    TestDatabases.reset(dataSource);
  }

  @Override
  protected IncidentStore incidents() {
    return new PostgresIncidentStore(dataSource);
  }

  @Override
  protected AuditTrail audit() {
    return TestDatabases.auditTrail(dataSource);
  }

  @Override
  protected CaseQueue queue(Clock clock, IncidentStore incidents) {
    return new PostgresCaseQueue(dataSource, clock);
  }

  @Override
  protected ActionJournal journal() {
    return new PostgresActionJournal(dataSource);
  }

  @Override
  protected LessonBook lessons() {
    return new PostgresLessonBook(dataSource);
  }

  @Override
  protected BaseCheckpointSaver saver() {
    return new JdbcCheckpointSaver(dataSource);
  }
}
