package dev.sentinel.simulator;

import dev.sentinel.ingest.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run-time state of one service: replicas, version history, faults and the times of the last
 * restart and scale. Everything {@link ServiceModel} derives is a function of this state and a
 * timestamp, so the caller may jump time freely. Not thread-safe: {@link Fleet} guards it.
 */
final class SimulatedService {

  private static final long NEVER = FleetState.NEVER;

  private final ServiceProfile profile;
  private final SeriesKey[] keys;
  private final List<Fault> faults = new ArrayList<>();
  private final Releases releases;
  private SimulatedService[] callees = new SimulatedService[0];
  private int replicas;
  private long processStartMillis;
  private long restartedAtMillis = NEVER;
  private long scaledAtMillis = NEVER;
  private long versionChangedAtMillis = NEVER;

  SimulatedService(ServiceProfile profile) {
    this.profile = profile;
    this.replicas = profile.replicas();
    this.releases = new Releases(profile.name(), profile.version());
    Map<String, String> labels =
        Map.of("service", profile.name(), "env", profile.environment(), "host", profile.host());
    Metric[] metrics = Metric.values();
    this.keys = new SeriesKey[metrics.length];
    for (Metric metric : metrics) {
      keys[metric.ordinal()] = SeriesKey.of(metric.seriesName(), labels);
    }
  }

  void wire(SimulatedService[] callees) {
    this.callees = callees.clone();
  }

  // ---- reads for the model (allocation-free: the emit path calls these per point) ----

  ServiceProfile profile() {
    return profile;
  }

  String name() {
    return profile.name();
  }

  SeriesKey key(Metric metric) {
    return keys[metric.ordinal()];
  }

  int replicas() {
    return replicas;
  }

  /** The callee of {@code profile().dependencies().get(index)}. */
  SimulatedService callee(int index) {
    return callees[index];
  }

  long processStartMillis() {
    return processStartMillis;
  }

  long scaledAtMillis() {
    return scaledAtMillis;
  }

  long restartedAtMillis() {
    return restartedAtMillis;
  }

  boolean restartingAt(long timestampMillis) {
    return restartedAtMillis != NEVER
        && timestampMillis >= restartedAtMillis
        && timestampMillis - restartedAtMillis < profile.restartBlipMillis();
  }

  /** The fault of this kind active at that time, or {@code null}. */
  Fault fault(FaultKind kind, long timestampMillis) {
    for (int i = 0; i < faults.size(); i++) {
      Fault fault = faults.get(i);
      if (fault.kind() == kind && fault.activeAt(timestampMillis)) {
        return fault;
      }
    }
    return null;
  }

  List<Fault> faults() {
    return List.copyOf(faults);
  }

  ServiceState state() {
    return new ServiceState(name(), replicas, releases.current(), releases.previous());
  }

  FleetState.Service snapshotState() {
    return new FleetState.Service(
        name(),
        replicas,
        releases.current(),
        releases.previousVersions(),
        releases.defectiveVersions(),
        faults,
        processStartMillis,
        restartedAtMillis,
        scaledAtMillis);
  }

  void restoreState(FleetState.Service saved) {
    replicas = saved.replicas();
    releases.restoreState(saved.version(), saved.previousVersions(), saved.defectiveVersions());
    faults.clear();
    faults.addAll(saved.faults());
    processStartMillis = saved.processStartMillis();
    restartedAtMillis = saved.restartedAtMillis();
    scaledAtMillis = saved.scaledAtMillis();
  }

  // ---- changes ----

  /** Adds a fault; a fault of the same kind that is already present is kept and returned. */
  Fault inject(FaultKind kind, long atMillis, long untilMillis) {
    expireFaults(atMillis);
    for (Fault fault : faults) {
      if (fault.kind() == kind) {
        return fault;
      }
    }
    if (kind == FaultKind.BAD_DEPLOY) {
      deploy(releases.nextDefective(), atMillis);
      return fault(FaultKind.BAD_DEPLOY, atMillis);
    }
    Fault fault = new Fault(kind, name(), atMillis, untilMillis);
    faults.add(fault);
    return fault;
  }

  void markDefective(String version) {
    releases.markDefective(version);
  }

  void expireFaults(long timestampMillis) {
    for (int i = faults.size() - 1; i >= 0; i--) {
      if (faults.get(i).untilMillis() <= timestampMillis) {
        faults.remove(i);
      }
    }
  }

  void clearFaults() {
    faults.clear();
    releases.forgetDefects();
  }

  void restart(long atMillis) {
    restartedAtMillis = atMillis;
    replaceProcesses(atMillis);
  }

  void scale(int newReplicas, long atMillis) {
    replicas = newReplicas;
    scaledAtMillis = atMillis;
  }

  void deploy(String version, long atMillis) {
    releases.deploy(version);
    versionChanged(atMillis);
  }

  void rollback(long atMillis) {
    releases.rollback();
    versionChanged(atMillis);
  }

  /** Puts back the replicas and version of a recorded state; a version change is a deploy. */
  void restore(ServiceState prior, long atMillis) {
    if (prior.replicas() != replicas) {
      scale(prior.replicas(), atMillis);
    }
    if (!prior.version().equals(releases.current())) {
      deploy(prior.version(), atMillis);
    }
  }

  /** A deploy is rolling, so it has no blip of errors, but the processes are fresh. */
  /** When the running version last changed (deploy, rollback or a bad release), or never. */
  long versionChangedAtMillis() {
    return versionChangedAtMillis;
  }

  private void versionChanged(long atMillis) {
    versionChangedAtMillis = atMillis;
    replaceProcesses(atMillis);
    faults.removeIf(fault -> fault.kind() == FaultKind.BAD_DEPLOY);
    if (releases.currentIsDefective()) {
      faults.add(new Fault(FaultKind.BAD_DEPLOY, name(), atMillis, Fault.UNTIL_CLEARED));
    }
  }

  private void replaceProcesses(long atMillis) {
    processStartMillis = atMillis;
    faults.removeIf(fault -> fault.kind().clearedByRestart());
  }
}
