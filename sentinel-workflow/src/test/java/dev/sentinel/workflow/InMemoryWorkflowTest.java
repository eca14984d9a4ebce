package dev.sentinel.workflow;

import dev.sentinel.audit.AuditTrail;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.learn.InMemoryLessonBook;
import dev.sentinel.learn.LessonBook;
import java.time.Clock;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.MemorySaver;

class InMemoryWorkflowTest extends WorkflowScenarios {

  @Override
  protected IncidentStore incidents() {
    return new InMemoryIncidentStore();
  }

  @Override
  protected AuditTrail audit() {
    return new InMemoryAuditTrail();
  }

  @Override
  protected CaseQueue queue(Clock clock, IncidentStore incidents) {
    return new InMemoryCaseQueue(clock::millis, incidents);
  }

  @Override
  protected ActionJournal journal() {
    return new InMemoryActionJournal();
  }

  @Override
  protected LessonBook lessons() {
    return new InMemoryLessonBook();
  }

  @Override
  protected BaseCheckpointSaver saver() {
    return new MemorySaver();
  }
}
