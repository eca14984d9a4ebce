package dev.sentinel.app.eval;

import dev.sentinel.incident.Incident;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.workflow.IncidentControls;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The invariants of issue 16, checked on a finished trial. */
final class Invariants {

  private final Ledger ledger;
  private final LoopUnderTest loop;
  private final RecordingExecutor executor;
  private final Fleet fleet;
  private final Map<String, Integer> baseline;
  private final List<Incident> incidents;
  private final Map<Ledger.Injected, List<String>> incidentsOfFault;

  Invariants(
      Ledger ledger,
      LoopUnderTest loop,
      RecordingExecutor executor,
      Fleet fleet,
      Map<String, Integer> baseline,
      List<Incident> incidents,
      Map<Ledger.Injected, List<String>> incidentsOfFault) {
    this.ledger = ledger;
    this.loop = loop;
    this.executor = executor;
    this.fleet = fleet;
    this.baseline = baseline;
    this.incidents = incidents;
    this.incidentsOfFault = incidentsOfFault;
  }

  /**
   * The issue's four invariants, checked at the end of the trial: every open incident has a case
   * that will run or offers a human an action; no idempotency key reaches the executor twice; no
   * incident holds the anomalies of two injected faults; every service is back at its baseline
   * replicas once the faults are gone. Plus any anomaly the desk failed on.
   */
  List<String> broken() {
    List<String> breaks = new ArrayList<>();
    for (Incident incident : incidents) {
      String stuck = stuck(incident);
      if (stuck != null) {
        breaks.add("open incident without a way on: " + stuck);
      }
    }
    Map<String, Integer> keys = new TreeMap<>();
    for (RecordingExecutor.Call call : executor.calls()) {
      keys.merge(call.key(), 1, Integer::sum);
    }
    keys.forEach(
        (key, count) -> {
          if (count > 1) {
            breaks.add(
                "action ran twice: key " + key + " reached the executor " + count + " times");
          }
        });
    Map<String, Set<String>> faultsOfIncident = new TreeMap<>();
    for (Ledger.Injected fault : ledger.injected) {
      for (String id : incidentsOfFault.get(fault)) {
        faultsOfIncident
            .computeIfAbsent(id, key -> new LinkedHashSet<>())
            .add(fault.kind + "@" + fault.service + "+" + fault.startMillis / 1000 % 86_400 + "s");
      }
    }
    faultsOfIncident.forEach(
        (id, faults) -> {
          if (faults.size() > 1) {
            breaks.add("incident " + id + " spans " + faults.size() + " faults: " + faults);
          }
        });
    baseline.forEach(
        (service, replicas) -> {
          int now = fleet.state(service).replicas();
          if (now != replicas) {
            breaks.add(
                "replicas of "
                    + service
                    + " are "
                    + now
                    + ", baseline "
                    + replicas
                    + ", "
                    + Trial.COOLDOWN_SECONDS
                    + " s after the faults were gone");
          }
        });
    for (String failure : ledger.deskFailures) {
      breaks.add("the desk failed on an anomaly: " + failure);
    }
    return breaks;
  }

  /** Why an unresolved incident has no case that will run and offers no one an action; or null. */
  private String stuck(Incident incident) {
    String state = loop.cases.stateOf(incident.id());
    return switch (incident.status()) {
      case RESOLVED -> null;
      case OPEN, REMEDIATING ->
          state.equals("runnable")
              ? null
              : incident.id() + " is " + incident.status().code() + " but its case is " + state;
      case AWAITING_APPROVAL ->
          state.equals("waiting")
              ? null
              : incident.id() + " awaits approval but its case is " + state;
      case ESCALATED -> {
        List<IncidentControls.Control> controls = IncidentControls.available(incident);
        yield controls.contains(IncidentControls.Control.TAKE_OVER)
                || controls.contains(IncidentControls.Control.HAND_BACK)
            ? null
            : incident.id() + " is escalated and offers neither take-over nor hand-back";
      }
    };
  }
}
