package dev.sentinel.app.eval;

import dev.sentinel.simulator.Fault;
import dev.sentinel.simulator.FaultKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a trial saw as it ran: the anomalies after the fleet went live and the faults injected. */
final class Ledger {

  /** A live anomaly and the incident the desk put it in (null when the desk failed on it). */
  record Seen(long atMillis, String service, String metric, String incidentId) {}

  /** An injected fault and, once it stopped hurting its service, when and what ended it. */
  static final class Injected {
    final FaultKind kind;
    final String service;
    final long startMillis;
    final Fault fault;
    long clearedAtMillis;
    String clearedBy = "";

    Injected(Fault fault) {
      this.kind = fault.kind();
      this.service = fault.service();
      this.startMillis = fault.startMillis();
      this.fault = fault;
    }

    boolean cleared() {
      return clearedAtMillis != 0;
    }

    /** The time its anomalies may still arrive: a little after it cleared. */
    long windowEndMillis() {
      return clearedAtMillis + Trial.ATTRIBUTION_GRACE_MILLIS;
    }
  }

  final List<Seen> seen = new ArrayList<>();
  final List<Injected> injected = new ArrayList<>();
  final List<String> deskFailures = new ArrayList<>();

  /**
   * The fault an anomaly of this service at that time belongs to: the latest one injected into the
   * service before it, while its window is open.
   */
  Optional<Injected> faultOf(String service, long atMillis) {
    Injected found = null;
    for (Injected fault : injected) {
      if (fault.service.equals(service)
          && fault.startMillis <= atMillis
          && (!fault.cleared() || atMillis <= fault.windowEndMillis())
          && (found == null || fault.startMillis > found.startMillis)) {
        found = fault;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The anomalies that belong to this fault. */
  List<Seen> of(Injected fault) {
    return seen.stream()
        .filter(anomaly -> faultOf(anomaly.service(), anomaly.atMillis()).orElse(null) == fault)
        .toList();
  }
}
