package dev.sentinel.workflow;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.Analyst;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.analyse.Hypothesis;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.Planner;
import dev.sentinel.verify.Verifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The analyse and plan nodes. Both are pure reasoning: re-running them after a crash is safe. */
final class Diagnosis {

  private static final Logger log = LoggerFactory.getLogger(Diagnosis.class);

  static final String TRANSIENT = "transient";

  /** Only demand (traffic) moved and no fault signature fits: nothing to fix, nobody to page. */
  static final String TRAFFIC_ONLY = "traffic-only";

  /**
   * An incident reopened this often is flapping: a slow problem (a leak under a garbage-collection
   * sawtooth) dips back into range between anomalies, so its quiet moments prove nothing.
   */
  private static final int FLAPPING_REOPENS = 2;

  /** A problem quiet this long before anything was done is taken as over. */
  private static final long TRANSIENT_QUIET_MILLIS = 5000;

  private final Casework work;
  private final Analyst analyst;
  private final Planner planner;
  private final Verifier verifier;
  private final ExecutorRegistry executors;
  private final long settleMillis;
  private final String platform;
  private final KnockOn knockOn;

  /**
   * @param settleSeconds how long a new incident gathers evidence before it is analysed
   * @param platform the platform whose executor describes the affected service
   */
  Diagnosis(
      Casework work,
      Analyst analyst,
      Planner planner,
      Verifier verifier,
      ExecutorRegistry executors,
      KnockOn knockOn,
      long settleSeconds,
      String platform) {
    this.work = work;
    this.analyst = analyst;
    this.planner = planner;
    this.verifier = verifier;
    this.executors = executors;
    this.knockOn = knockOn;
    this.settleMillis = settleSeconds * 1000;
    this.platform = platform;
  }

  private long reopens(Incident incident) {
    return work.incidents.timeline(incident.id(), 10_000).stream()
        .filter(event -> event.kind().equals("reopened"))
        .count();
  }

  Map<String, Object> analyse(CaseState state) {
    Incident incident = work.incident(state.incidentId());
    long quiet = work.now() - incident.lastAnomalyAtMillis();
    if (state.iteration() == 0
        && quiet >= Math.max(TRANSIENT_QUIET_MILLIS, settleMillis / 2)
        && reopens(incident) < FLAPPING_REOPENS
        && verifier.backToNormal(incident)) {
      // The problem went away while the incident gathered evidence: nothing to fix.
      work.record(
          incident.id(),
          "analysis",
          "sentinel",
          AuditAction.ANALYSIS_COMPLETED,
          "transient: every symptom is back in its expected range and no anomaly came for "
              + quiet / 1000
              + " s; nothing to do",
          Map.of("transient", "true"));
      return work.update().outcome(TRANSIENT).values();
    }
    if (state.iteration() == 0) {
      knockOn.deferIfDownstream(incident);
    }
    work.move(incident.id(), IncidentStatus.REMEDIATING, null);
    int iteration = state.iteration() + 1;
    CaseFile file = file(incident, state);
    Analysis analysis = analyst.analyse(file);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("iteration", Integer.toString(iteration));
    details.put("analyst", analysis.analyst());
    analysis.likeliest().ifPresent(top -> describe(top, details));
    boolean trafficOnly =
        analysis.hypotheses().isEmpty()
            && !file.anomalies().isEmpty()
            && file.anomalies().stream()
                .allMatch(anomaly -> verifier.isDemand(anomaly.series().name()));
    String summary =
        trafficOnly
            ? analysis.summary()
                + " Only demand (traffic) series moved and nothing else is out of range: no fault"
                + " to fix, nobody to page."
            : analysis.summary();
    work.record(
        incident.id(), "analysis", "sentinel", AuditAction.ANALYSIS_COMPLETED, summary, details);
    if (trafficOnly) {
      return work.update().iteration(iteration).analysis(analysis).outcome(TRAFFIC_ONLY).values();
    }
    return work.update()
        .iteration(iteration)
        .analysis(analysis)
        .decision(null)
        .prior(null)
        .result(null)
        .report(null)
        .steps(java.util.List.of())
        .values();
  }

  String afterAnalyse(CaseState state) {
    return TRANSIENT.equals(state.outcome()) || TRAFFIC_ONLY.equals(state.outcome())
        ? Closure.RESOLVE
        : IncidentWorkflow.PLAN;
  }

  Map<String, Object> plan(CaseState state) {
    Incident incident = work.incident(state.incidentId());
    Plan plan = planner.plan(file(incident, state), state.analysis());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("risk", plan.risk().name());
    for (int i = 0; i < plan.steps().size(); i++) {
      var step = plan.steps().get(i);
      details.put(
          "step" + (i + 1),
          step.action().describe()
              + "; downtime ~"
              + step.estimatedDowntimeSeconds()
              + " s; blast radius "
              + step.blastRadius()
              + "; risk "
              + step.risk()
              + "; "
              + step.rationale());
    }
    work.record(
        incident.id(), "plan", "sentinel", AuditAction.PLAN_PROPOSED, plan.summary(), details);
    return work.update().plan(plan).values();
  }

  private CaseFile file(Incident incident, CaseState state) {
    return work.caseFile(incident, state.attempts(), targetState(incident));
  }

  private Map<String, String> targetState(Incident incident) {
    Executor executor = executors.find(platform).orElse(null);
    if (executor == null || incident.service() == null) {
      return Map.of();
    }
    try {
      return executor.describe(planner.target(platform, incident.service()));
    } catch (RuntimeException e) {
      // One line: a service the platform does not know (metrics of something it does not run)
      // is an expected answer, not a fault with a stack worth printing.
      log.warn(
          "cannot describe {} for incident {}: {}",
          incident.service(),
          incident.id(),
          e.toString());
      return Map.of();
    }
  }

  private static void describe(Hypothesis top, Map<String, String> details) {
    details.put("cause", top.cause());
    details.put("confidence", String.format(java.util.Locale.ROOT, "%.2f", top.confidence()));
    for (int i = 0; i < top.evidence().size(); i++) {
      details.put("evidence" + (i + 1), top.evidence().get(i));
    }
  }
}
