package dev.sentinel.workflow;

import dev.sentinel.analyse.Analyst;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.plan.Planner;
import dev.sentinel.verify.Verifier;
import java.time.Clock;

/**
 * Everything the workflow's nodes use, built once by the composition root.
 *
 * @param guard the executors by platform, behind the safety layers every action passes
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
    ActionGuard guard,
    ActionJournal journal,
    Verifier verifier,
    LessonBook lessons,
    Clock clock,
    WorkflowEvents events) {

  public WorkflowParts {
    java.util.Objects.requireNonNull(guard, "guard");
  }
}
