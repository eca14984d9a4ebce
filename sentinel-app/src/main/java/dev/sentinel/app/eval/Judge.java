package dev.sentinel.app.eval;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.FleetSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a finished trial: what became of each fault (from the anomalies the trial saw, the
 * incidents' timelines and the calls that reached the executor), which incidents were the faults'
 * own, and which invariants broke.
 */
final class Judge {

  private final Ledger ledger;
  private final LoopUnderTest loop;
  private final RecordingExecutor executor;
  private final Fleet fleet;
  private final Map<String, Integer> baseline;
  private final List<Incident> incidents;
  private final Map<Ledger.Injected, List<String>> incidentsOfFault = new HashMap<>();

  Judge(
      Ledger ledger,
      LoopUnderTest loop,
      RecordingExecutor executor,
      Fleet fleet,
      Map<String, Integer> baseline) {
    this.ledger = ledger;
    this.loop = loop;
    this.executor = executor;
    this.fleet = fleet;
    this.baseline = baseline;
    this.incidents = loop.incidents.list(IncidentFilter.all(), 100_000);
    for (Ledger.Injected fault : ledger.injected) {
      Set<String> ids = new LinkedHashSet<>();
      for (Ledger.Seen seen : ledger.of(fault)) {
        if (seen.incidentId() != null) {
          ids.add(seen.incidentId());
        }
      }
      incidentsOfFault.put(fault, List.copyOf(ids));
    }
  }

  List<Incident> incidents() {
    return incidents;
  }

  List<FaultOutcome> faults() {
    List<FaultOutcome> outcomes = new ArrayList<>();
    for (Ledger.Injected fault : ledger.injected) {
      outcomes.add(outcome(fault));
    }
    return outcomes;
  }

  private FaultOutcome outcome(Ledger.Injected fault) {
    List<Ledger.Seen> seen = ledger.of(fault);
    long detect =
        seen.stream().mapToLong(Ledger.Seen::atMillis).min().stream()
            .map(at -> (at - fault.startMillis) / 1000)
            .findFirst()
            .orElse(-1);
    List<String> ids = incidentsOfFault.get(fault);
    List<TimelineEvent> events = new ArrayList<>();
    for (String id : ids) {
      loop.incidents.timeline(id, 100_000).stream()
          .filter(event -> event.atMillis() >= fault.startMillis)
          .forEach(events::add);
    }
    String diagnosis = "none";
    double confidence = 0;
    if (!ids.isEmpty()) {
      for (TimelineEvent event : loop.incidents.timeline(ids.getFirst(), 100_000)) {
        if (event.kind().equals("analysis") && event.atMillis() >= fault.startMillis) {
          diagnosis =
              "true".equals(event.details().get("transient"))
                  ? "transient"
                  : event.details().getOrDefault("cause", "unknown");
          confidence = Double.parseDouble(event.details().getOrDefault("confidence", "0"));
          break;
        }
      }
    }
    List<FaultOutcome.ActionTaken> actions = new ArrayList<>();
    int rollbacks = 0;
    for (RecordingExecutor.Call call : executor.calls()) {
      if (!ids.contains(call.incidentId()) || call.atMillis() < fault.startMillis) {
        continue;
      }
      if (call.restore()) {
        rollbacks++;
      } else {
        actions.add(
            new FaultOutcome.ActionTaken(
                (call.atMillis() - fault.startMillis) / 1000,
                call.action().describe(),
                call.result().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT),
                RightActions.right(
                    fault.kind, fault.service, call.action(), call.replicasBefore())));
      }
    }
    int worse = 0;
    int worseRolledBack = 0;
    int approvals = 0;
    long recovery = -1;
    String escalation = "";
    Set<String> recoveredIncidents = new HashSet<>();
    for (TimelineEvent event : events) {
      switch (event.kind()) {
        case "verification" -> {
          String verdict = event.details().getOrDefault("recovery", "");
          if (verdict.equals("WORSE")) {
            worse++;
            if (rolledBackAfter(events, event)) {
              worseRolledBack++;
            }
          } else if (verdict.equals("RECOVERED")) {
            recoveredIncidents.add(event.incidentId());
          }
        }
        case "resolved" -> {
          if (recovery < 0
              && "sentinel".equals(event.actor())
              && recoveredIncidents.contains(event.incidentId())) {
            recovery = (event.atMillis() - fault.startMillis) / 1000;
          }
        }
        case "escalated" -> escalation = event.summary();
        default -> {}
      }
    }
    long recoveredAt = recovery < 0 ? -1 : fault.startMillis + recovery * 1000;
    for (TimelineEvent event : events) {
      // The approvals it took to get there: a plan approved after the recovery was for later.
      if (event.kind().equals("approval")
          && Trial.ON_CALL.equals(event.actor())
          && (recoveredAt < 0 || event.atMillis() <= recoveredAt)) {
        approvals++;
      }
    }
    boolean falseCredit =
        recovery >= 0
            && (fault.clearedBy.equals("harness") || recoveredAt < fault.clearedAtMillis - 1000);
    return new FaultOutcome(
        fault.kind,
        fault.service,
        detect,
        ids,
        diagnosis,
        confidence,
        actions,
        rollbacks,
        worse,
        worseRolledBack,
        approvals,
        recovery,
        falseCredit,
        fault.clearedBy,
        escalation);
  }

  /** Whether a verified rollback of the same incident followed this verification. */
  private static boolean rolledBackAfter(List<TimelineEvent> events, TimelineEvent verification) {
    return events.stream()
        .anyMatch(
            event ->
                event.incidentId().equals(verification.incidentId())
                    && event.kind().equals("rollback")
                    && event.atMillis() >= verification.atMillis()
                    && event.summary().contains("(verified"));
  }

  /**
   * Plans that waited for a human only because the approval policy's rate limit or breaker, which
   * count wall time, judged the compressed simulated minutes as one: an artefact of the evaluation.
   */
  int wallClockLimited() {
    int limited = 0;
    for (Incident incident : incidents) {
      for (TimelineEvent event : loop.incidents.timeline(incident.id(), 100_000)) {
        if (event.kind().equals("approval")
            && event.summary().startsWith("approval needed")
            && (event.summary().contains("is used up")
                || event.summary().contains("circuit breaker"))) {
          limited++;
        }
      }
    }
    return limited;
  }

  /** Every incident of the trial, oldest first, with its role. */
  List<TrialResult.Opened> opened(long liveStartMillis) {
    List<TrialResult.Opened> opened = new ArrayList<>();
    for (Incident incident : incidents.reversed()) {
      int reopened = 0;
      String diagnosis = "none";
      for (TimelineEvent event : loop.incidents.timeline(incident.id(), 100_000)) {
        if (event.kind().equals("reopened")) {
          reopened++;
        } else if (event.kind().equals("analysis") && diagnosis.equals("none")) {
          diagnosis =
              "true".equals(event.details().get("transient"))
                  ? "transient"
                  : event.details().getOrDefault("cause", "unknown");
        }
      }
      opened.add(
          new TrialResult.Opened(
              incident.id(),
              incident.service(),
              (incident.openedAtMillis() - liveStartMillis) / 1000,
              own(incident) ? "fault" : knockOn(incident) ? "knock-on" : "spurious",
              incident.status().code(),
              reopened,
              diagnosis,
              incident.resolution()));
    }
    return opened;
  }

  /** Incidents of a caller of a faulty service, opened while the fault lasted. */
  int knockOn() {
    return (int) incidents.stream().filter(i -> !own(i) && knockOn(i)).count();
  }

  int spurious() {
    return (int) incidents.stream().filter(i -> !own(i) && !knockOn(i)).count();
  }

  private boolean own(Incident incident) {
    return incidentsOfFault.values().stream().anyMatch(ids -> ids.contains(incident.id()));
  }

  private boolean knockOn(Incident incident) {
    for (Ledger.Injected fault : ledger.injected) {
      if (callers(fault.service).contains(incident.service())
          && incident.openedAtMillis() >= fault.startMillis
          && incident.openedAtMillis() <= fault.windowEndMillis()) {
        return true;
      }
    }
    return false;
  }

  /** The services that call this one, directly or through others. */
  private Set<String> callers(String service) {
    Map<String, List<String>> calls = new HashMap<>();
    for (FleetSnapshot.ServiceSnapshot snapshot : fleet.describe().services()) {
      calls.put(snapshot.state().service(), snapshot.calls());
    }
    Set<String> callers = new TreeSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, List<String>> entry : calls.entrySet()) {
        boolean calling =
            entry.getValue().contains(service)
                || entry.getValue().stream().anyMatch(callers::contains);
        if (calling && callers.add(entry.getKey())) {
          grew = true;
        }
      }
    }
    return callers;
  }

  /** The invariants this trial broke, in words. */
  List<String> invariantBreaks() {
    return new Invariants(ledger, loop, executor, fleet, baseline, incidents, incidentsOfFault)
        .broken();
  }
}
