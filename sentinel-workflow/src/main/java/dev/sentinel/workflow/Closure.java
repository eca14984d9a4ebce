package dev.sentinel.workflow;

import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.learn.Lesson;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.plan.Action;
import dev.sentinel.verify.Recovery;
import dev.sentinel.verify.RecoveryReport;
import dev.sentinel.verify.Verifier;
import dev.sentinel.verify.VerifyProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The verify, resolve, escalate and learn nodes: how a run ends and what it teaches. */
final class Closure {

  static final String RESOLVE = "resolve";
  static final String ROLLBACK = "rollback";
  static final String ANALYSE = "analyse";
  static final String ESCALATE = "escalate";
  static final String EXECUTE = "execute";
  static final String RECHECK = "recheck";

  private final Casework work;
  private final Verifier verifier;
  private final ApprovalPolicy policy;
  private final LessonBook lessons;
  private final int maxIterations;

  /**
   * @param policy told each step's outcome (its circuit breaker counts failures)
   * @param maxIterations analyses a run may take before it escalates
   */
  Closure(
      Casework work,
      Verifier verifier,
      ApprovalPolicy policy,
      LessonBook lessons,
      int maxIterations) {
    this.work = work;
    this.verifier = verifier;
    this.policy = policy;
    this.lessons = lessons;
    this.maxIterations = maxIterations;
  }

  /**
   * Verifies the current step of the plan: what its action did to the incident's symptoms. Takes
   * one reading: without a verdict yet, the progress goes into the case's state and the run stops
   * at {@value #RECHECK} until the next reading is due (the runner parks the case until then, so no
   * worker waits and no lease is held meanwhile); whichever instance takes the case next goes on
   * from that progress. The first reading is taken right after the action, as the step begins.
   */
  Map<String, Object> verify(CaseState state) {
    Incident incident = work.incident(state.incidentId());
    StepOutcome step = state.currentStep();
    Action action = step.action();
    VerifyProgress progress = state.verification();
    if (progress == null || progress.actionAtMillis() != state.actionAtMillis()) {
      progress = verifier.start(incident, state.actionAtMillis());
    }
    RecoveryReport report;
    switch (verifier.check(incident, progress)) {
      case Verifier.Check.Again again -> {
        return work.update().verification(again.progress()).values();
      }
      case Verifier.Check.Done done -> report = done.report();
    }
    if (report.recovery() != Recovery.UNCHANGED) {
      policy.recordOutcome(report.recovery() == Recovery.RECOVERED);
    }
    String cause = state.analysis().likeliest().map(top -> top.cause()).orElse("unknown");
    lessons.record(
        new Lesson(
            incident.id(),
            cause,
            incident.service(),
            action.operation(),
            report.recovery(),
            work.now()));
    StepOutcome verified = step.verified(report.recovery());
    List<String> attempts = new ArrayList<>(state.attempts());
    attempts.add(verified.line());
    String unneeded =
        report.recovery() == Recovery.RECOVERED && step.number() < step.of()
            ? "; the plan's remaining " + (step.of() - step.number()) + " step(s) are not needed"
            : "";
    work.record(
        incident.id(),
        "verification",
        "sentinel",
        null,
        Remedy.label(step) + report.summary() + unneeded,
        Map.of(
            "recovery", report.recovery().name(),
            "step", Integer.toString(step.number()),
            "steps", Integer.toString(step.of()),
            "anomaliesBefore", Integer.toString(report.before()),
            "anomaliesAfter", Integer.toString(report.after())));
    List<StepOutcome> steps = new ArrayList<>(state.steps());
    steps.set(steps.size() - 1, verified);
    return work.update().report(report).verification(null).steps(steps).attempts(attempts).values();
  }

  /**
   * Where a run stops between two readings of a verification: the graph is interrupted before this
   * node, and the node itself only hands back to verify when the run resumes.
   */
  Map<String, Object> recheck(CaseState state) {
    return Map.of();
  }

  /**
   * Recovered: done, and the plan's remaining steps are not needed. Worse: the steps taken are
   * rolled back. Unchanged: the next step of the plan runs (the steps are a sequence, and the later
   * ones are there to finish what the earlier ones began); after the last step, the incident is
   * analysed again within the bound on rounds, the steps taken staying in place.
   */
  String afterVerify(CaseState state) {
    if (state.verification() != null) {
      return RECHECK;
    }
    return switch (state.report().recovery()) {
      case RECOVERED -> RESOLVE;
      case WORSE -> ROLLBACK;
      case UNCHANGED -> {
        if (state.hasNextStep()) {
          yield EXECUTE;
        }
        yield state.iteration() < maxIterations ? ANALYSE : ESCALATE;
      }
    };
  }

  Map<String, Object> resolve(CaseState state) {
    boolean transientProblem = Diagnosis.TRANSIENT.equals(state.outcome());
    boolean trafficOnly = Diagnosis.TRAFFIC_ONLY.equals(state.outcome());
    String resolution;
    if (transientProblem) {
      resolution = "recovered by itself before any action";
    } else if (trafficOnly) {
      resolution = "only traffic moved: no fault to fix";
    } else {
      resolution =
          (state.steps().isEmpty()
                  ? state.lastAttempt()
                  : String.join("; ", state.steps().stream().map(StepOutcome::line).toList()))
              + " ("
              + state.analysis().likeliest().map(h -> h.cause()).orElse("?")
              + ")";
    }
    boolean noAction = transientProblem || trafficOnly;
    work.move(state.incidentId(), IncidentStatus.RESOLVED, resolution);
    work.record(
        state.incidentId(),
        "resolved",
        "sentinel",
        AuditAction.INCIDENT_RESOLVED,
        "resolved: " + (noAction ? resolution : state.report().summary()),
        Map.of("resolution", resolution, "attempts", String.join("; ", state.attempts())));
    return work.update().outcome("resolved").values();
  }

  Map<String, Object> escalate(CaseState state) {
    String why = escalationReason(state);
    if (state.attempts().stream().anyMatch(attempt -> attempt.endsWith("-> worse"))) {
      // Whatever ended the run, the human taking over must first know an action backfired.
      why = "an action made things worse and was rolled back; " + why;
    }
    work.move(state.incidentId(), IncidentStatus.ESCALATED, null);
    work.record(
        state.incidentId(),
        "escalated",
        "sentinel",
        AuditAction.ESCALATED,
        "a human must take over: " + why,
        Map.of("attempts", String.join("; ", state.attempts())));
    return work.update().outcome("escalated").values();
  }

  private String escalationReason(CaseState state) {
    if (Compensation.ROLLBACK_UNVERIFIED.equals(state.outcome())) {
      return "a rollback could not be verified";
    }
    if (state.decision() != null && !state.decision().allowsExecution()) {
      return state.decision() instanceof dev.sentinel.approve.ApprovalDecision.Rejected rejected
          ? "the plan was rejected by " + rejected.actor() + " (" + rejected.reason() + ")"
          : "no step Sentinel may take: " + state.plan().summary();
    }
    StepOutcome stopped = state.currentStep();
    if (stopped != null
        && !(stopped.result() instanceof dev.sentinel.execute.ActionResult.Applied)) {
      String taken =
          state.steps().stream().anyMatch(step -> step.rollback() != null)
              ? "; the steps the plan had taken were rolled back"
              : "";
      return (stopped.of() > 1
              ? stopped.label() + " (" + stopped.action().describe() + ")"
              : "the action")
          + " was not applied: "
          + stopped.result().summary()
          + taken;
    }
    return "no recovery after "
        + state.iteration()
        + " round(s): "
        + String.join("; ", state.attempts());
  }

  Map<String, Object> learn(CaseState state) {
    if (state.analysis() == null || state.attempts().isEmpty()) {
      return Map.of();
    }
    String cause = state.analysis().likeliest().map(h -> h.cause()).orElse("unknown");
    List<String> lines = new ArrayList<>();
    for (String attempt : state.attempts()) {
      String operation = attempt.substring(0, attempt.indexOf(' '));
      lines.add(operation + " for " + cause + ": net " + lessons.netSuccesses(cause, operation));
    }
    work.record(
        state.incidentId(),
        "learned",
        "sentinel",
        null,
        "learned: " + String.join(", ", lines),
        Map.of());
    return Map.of();
  }
}
