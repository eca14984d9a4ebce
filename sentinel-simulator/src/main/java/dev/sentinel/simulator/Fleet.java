package dev.sentinel.simulator;

import dev.sentinel.ingest.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A simulated fleet of services: it emits their metrics, takes injected faults and performs the
 * operations an executor asks for. It keeps no clock and starts no thread; every call carries its
 * own timestamp, and everything that evolves (a leak, a queue, a fading spike) is computed from the
 * time elapsed since the event that started it, so the caller may back-fill history at one-minute
 * steps and then tick live every second.
 *
 * <p>The same seed and the same sequence of calls give the same samples.
 *
 * <p>Two operations make things worse, which is what rollback tests need. Restarting {@code db}
 * (one replica) takes it down for ten seconds: three seconds later nine in ten {@code checkout}
 * requests fail, and four seconds after that about half of the {@code api} requests, for ten
 * seconds each. Scaling a service below its load ({@code scale("api", 1)} on a weekday afternoon;
 * at night one replica copes) saturates it until {@link #restore} puts the replicas back.
 *
 * <p>Thread-safe: every method holds the fleet's lock, so an HTTP thread may restart a service
 * while another thread emits.
 */
public final class Fleet {

  static final int MIN_REPLICAS = 1;
  static final int MAX_REPLICAS = 50;

  private final Map<String, SimulatedService> byName = new LinkedHashMap<>();
  private final SimulatedService[] services;
  private final SplitMix noise;
  private final Sampler sampler;
  private final long latencySpikeMillis;

  /**
   * @param seed seeds all noise
   * @param profiles the services, in the order they are reported
   * @param latencySpikeDuration how long an injected latency spike lasts unless a restart ends it
   */
  public Fleet(long seed, List<ServiceProfile> profiles, Duration latencySpikeDuration) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one service");
    }
    if (latencySpikeDuration.toMillis() <= 0) {
      throw new IllegalArgumentException("latency spike duration must be positive");
    }
    for (ServiceProfile profile : profiles) {
      if (byName.put(profile.name(), new SimulatedService(profile)) != null) {
        throw new IllegalArgumentException("service '" + profile.name() + "' is listed twice");
      }
    }
    this.services = byName.values().toArray(SimulatedService[]::new);
    Topology.wire(byName);
    this.noise = new SplitMix(seed);
    this.sampler = new Sampler(new ServiceModel(LoadCurve.DEFAULT), noise);
    this.latencySpikeMillis = latencySpikeDuration.toMillis();
  }

  /** The demo fleet: {@code api}, {@code checkout}, {@code db} and {@code cache}. */
  public static Fleet demo(long seed) {
    return new Fleet(seed, DemoFleet.services(), DemoFleet.LATENCY_SPIKE_DURATION);
  }

  /** Emits one sample of every metric of every service at that time, and retires ended faults. */
  public synchronized void emit(long timestampMillis, MetricSink sink) {
    double loadJitter = sampler.loadJitter();
    for (SimulatedService service : services) {
      service.expireFaults(timestampMillis);
      sampler.emit(service, timestampMillis, loadJitter, sink);
    }
  }

  /** Every series the fleet emits, in emit order; the same instances {@link #emit} passes on. */
  public List<SeriesKey> series() {
    List<SeriesKey> keys = new ArrayList<>();
    for (SimulatedService service : services) {
      for (Metric metric : Metric.values()) {
        keys.add(service.key(metric));
      }
    }
    return List.copyOf(keys);
  }

  /**
   * Starts a fault on a service. Injecting a kind that is already active there changes nothing and
   * returns the fault already present. {@link FaultKind#BAD_DEPLOY} deploys the next version and
   * marks it defective.
   */
  public synchronized Fault inject(FaultKind kind, String service, long atMillis) {
    long until =
        kind == FaultKind.LATENCY_SPIKE ? atMillis + latencySpikeMillis : Fault.UNTIL_CLEARED;
    return find(service).inject(kind, atMillis, until);
  }

  /** Marks a version as defective, so that deploying it to that service starts a bad deploy. */
  public synchronized void markDefective(String service, String version) {
    find(service).markDefective(version);
  }

  /** Ends every fault and forgets every defective version; replicas and versions stay. */
  public synchronized void clearFaults() {
    for (SimulatedService service : services) {
      service.clearFaults();
    }
  }

  /** The faults not yet cleared or expired (as of the last emit), by service order. */
  public synchronized List<Fault> activeFaults() {
    List<Fault> faults = new ArrayList<>();
    for (SimulatedService service : services) {
      faults.addAll(service.faults());
    }
    return List.copyOf(faults);
  }

  /**
   * The active faults still hurting their service: as {@link #activeFaults}, less a saturation that
   * scaling out has absorbed (at least twice the starting replicas: the extra load equals the
   * starting capacity, so doubling it returns the service to its usual utilisation).
   */
  public synchronized List<Fault> unhandledFaults() {
    List<Fault> faults = new ArrayList<>();
    for (SimulatedService service : services) {
      boolean absorbed = service.replicas() >= 2 * service.profile().replicas();
      for (Fault fault : service.faults()) {
        if (!(fault.kind() == FaultKind.SATURATION && absorbed)) {
          faults.add(fault);
        }
      }
    }
    return List.copyOf(faults);
  }

  /**
   * Restarts every replica. For the service's restart blip (3 s for most, 10 s for {@code db}) part
   * of its requests fail; then leaks, latency spikes and error bursts are gone. Saturation and bad
   * deploys are not.
   */
  public synchronized Change restart(String service, long atMillis) {
    return change(Operation.RESTART, service, atMillis, target -> target.restart(atMillis));
  }

  /** Sets the number of replicas, from 1 to 50. New replicas take load at once. */
  public synchronized Change scale(String service, int replicas, long atMillis) {
    checkReplicas(service, replicas);
    return change(Operation.SCALE, service, atMillis, target -> target.scale(replicas, atMillis));
  }

  /** Rolls out a version; the one it replaces becomes the rollback target. */
  public synchronized Change deploy(String service, String version, long atMillis) {
    if (version == null || version.isBlank()) {
      throw new SimulatorException("cannot deploy a blank version to " + service);
    }
    return change(Operation.DEPLOY, service, atMillis, target -> target.deploy(version, atMillis));
  }

  /** Returns to the version before the current one; refused when there is none. */
  public synchronized Change rollback(String service, long atMillis) {
    return change(Operation.ROLLBACK, service, atMillis, target -> target.rollback(atMillis));
  }

  /**
   * Undoes an operation: puts back the replicas and version of a state recorded in a {@link
   * Change#before()}. A version change is a deploy, so it too can be rolled back.
   */
  public synchronized Change restore(ServiceState prior, long atMillis) {
    return change(
        Operation.RESTORE, prior.service(), atMillis, target -> target.restore(prior, atMillis));
  }

  public synchronized ServiceState state(String service) {
    return find(service).state();
  }

  /**
   * When the service's running version last changed, or {@link Long#MIN_VALUE} when it never did
   * since the fleet was built (not kept in the state file: a restarted Sentinel forgets it).
   */
  public synchronized long versionChangedAt(String service) {
    return find(service).versionChangedAtMillis();
  }

  /** The names of the services, in the fleet's order. */
  public List<String> services() {
    return List.copyOf(byName.keySet());
  }

  public synchronized FleetSnapshot describe() {
    List<FleetSnapshot.ServiceSnapshot> snapshots = new ArrayList<>();
    for (SimulatedService service : services) {
      List<String> calls =
          service.profile().dependencies().stream().map(Dependency::service).toList();
      snapshots.add(new FleetSnapshot.ServiceSnapshot(service.state(), calls, service.faults()));
    }
    return new FleetSnapshot(snapshots);
  }

  /** Everything that changed since the fleet was built, to save and later {@link #restoreState}. */
  public synchronized FleetState snapshotState() {
    List<FleetState.Service> saved = new ArrayList<>(services.length);
    for (SimulatedService service : services) {
      saved.add(service.snapshotState());
    }
    return new FleetState(noise.state(), saved);
  }

  /**
   * Puts the fleet back in a saved state: replicas, version histories, defective versions, faults,
   * process start times and the position of the noise, so it emits what the saved fleet would have.
   * Refuses a state whose services are not this fleet's.
   */
  public synchronized void restoreState(FleetState state) {
    state.requireServices(byName.keySet());
    for (FleetState.Service saved : state.services()) {
      byName.get(saved.name()).restoreState(saved);
    }
    noise.state(state.noiseState());
  }

  static void checkReplicas(String service, int replicas) {
    if (replicas < MIN_REPLICAS || replicas > MAX_REPLICAS) {
      throw new SimulatorException(
          "replicas for "
              + service
              + " must be between "
              + MIN_REPLICAS
              + " and "
              + MAX_REPLICAS
              + ", was "
              + replicas);
    }
  }

  private Change change(
      Operation operation, String service, long atMillis, Consumer<SimulatedService> action) {
    SimulatedService target = find(service);
    ServiceState before = target.state();
    action.accept(target);
    return new Change(operation, service, atMillis, before, target.state());
  }

  private SimulatedService find(String service) {
    SimulatedService found = byName.get(service);
    if (found == null) {
      throw new UnknownServiceException(service, services());
    }
    return found;
  }
}
