package dev.sentinel.workflow;

import dev.sentinel.analyse.Analyst;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.execute.Executor;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.plan.Planner;
import dev.sentinel.verify.Verifier;
import java.time.Clock;
import java.util.Map;

/**
 * Everything the workflow's nodes use, built once by the composition root.
 *
 * @param executors by platform name
 * @param events told about every timeline event as it is recorded (narration, notifications)
 */
public record WorkflowParts(
    WorkflowConfig config,
    IncidentStore incidents,
    AuditTrail audit,
    AnomalyLog anomalies,
    Analyst analyst,
    Planner planner,
    ApprovalPolicy policy,
    Map<String, Executor> executors,
    ActionJournal journal,
    Verifier verifier,
    LessonBook lessons,
    Clock clock,
    WorkflowEvents events) {

  public WorkflowParts {
    executors = Map.copyOf(executors);
  }
}
