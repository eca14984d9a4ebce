package dev.sentinel.simulator;

import java.util.List;

/**
 * The physics of a service: from load, capacity, memory and faults to the expected value of each
 * metric at an instant. Pure and allocation-free; {@link Sampler} adds the noise.
 *
 * <p>Latency follows a single-queue model: the wait grows as {@code u / (1 - u)} with utilisation
 * {@code u}, so it creeps up through the day and shoots up as a service nears its capacity. Past
 * capacity, requests pile up in a bounded queue and the overflow fails. A caller's latency and
 * errors include its callees' as they were {@link Dependency#lagMillis()} earlier. A latency fault
 * of the service scales the whole response time its clients see, callees included.
 */
final class ServiceModel {

  private static final double IDLE_CPU = 0.04;
  private static final double MAX_CPU_FROM_LOAD = 0.98;

  /** Utilisation is capped here in the queueing formula, which is infinite at 1. */
  private static final double MAX_UTILISATION = 0.98;

  /** Scales the queueing wait to a thread-pool server rather than a single-worker queue. */
  private static final double QUEUEING_WEIGHT = 0.5;

  private static final double QUEUE_LIMIT_PER_REPLICA = 500;

  /** Past capacity, clients retry or give up; this share of the excess ends as errors. */
  private static final double OVERLOAD_ERROR_SHARE = 0.2;

  private final LoadCurve load;

  ServiceModel(LoadCurve load) {
    this.load = load;
  }

  /** Requests per second arriving; {@code jitter} scales the organic part (1 for the mean). */
  double demand(SimulatedService service, long t, double jitter) {
    ServiceProfile profile = service.profile();
    double extra =
        FaultEffects.SATURATION_EXTRA_LOAD
            * profile.defaultCapacity()
            * FaultEffects.intensity(service, FaultKind.SATURATION, t);
    return profile.peakRequestRate() * load.factor(t) * jitter + extra;
  }

  double capacity(SimulatedService service) {
    return service.replicas() * service.profile().capacityPerReplica();
  }

  double utilisation(SimulatedService service, long t, double jitter) {
    return demand(service, t, jitter) / capacity(service);
  }

  double cpu(SimulatedService service, long t, double jitter) {
    double fromLoad = Math.min(1, utilisation(service, t, jitter)) * (MAX_CPU_FROM_LOAD - IDLE_CPU);
    double extra =
        FaultEffects.GC_CPU * gcPressure(service, t)
            + FaultEffects.BAD_DEPLOY_CPU
                * FaultEffects.intensity(service, FaultKind.BAD_DEPLOY, t);
    return Math.min(1, IDLE_CPU + fromLoad + extra);
  }

  /** One replica's resident memory: base, a garbage sawtooth since the process started, leaks. */
  double memoryBytes(SimulatedService service, long t) {
    MemoryProfile memory = service.profile().memory();
    long sinceStart = t >= service.processStartMillis() ? t - service.processStartMillis() : t;
    long phase = Math.floorMod(sinceStart, memory.collectionPeriodMillis());
    double garbage = memory.garbageBytes() * (double) phase / memory.collectionPeriodMillis();
    double used = memory.baseBytes() + garbage + FaultEffects.leakedBytes(service, t);
    return Math.min(memory.limitBytes(), used);
  }

  /** How hard the garbage collector works: 0 with room to spare, 1 at the memory limit. */
  double gcPressure(SimulatedService service, long t) {
    double fill = memoryBytes(service, t) / service.profile().memory().limitBytes();
    double pressure =
        (fill - FaultEffects.GC_PRESSURE_THRESHOLD) / (1 - FaultEffects.GC_PRESSURE_THRESHOLD);
    return Math.clamp(pressure, 0.0, 1.0);
  }

  /** Requests waiting beyond what the queueing formula covers, when demand exceeds capacity. */
  double backlog(SimulatedService service, long t, double jitter) {
    double excess = demand(service, t, jitter) - capacity(service);
    double limit = QUEUE_LIMIT_PER_REPLICA * service.replicas();
    if (excess <= 0) {
      return 0;
    }
    long since =
        Math.max(
            Math.max(service.scaledAtMillis(), service.restartedAtMillis()),
            FaultEffects.saturationStart(service, t));
    if (since == Long.MIN_VALUE) {
      return limit;
    }
    return Math.min(limit, excess * Math.max(0, t - since) / 1000.0);
  }

  double queueDepth(SimulatedService service, long t, double jitter) {
    double u = Math.min(MAX_UTILISATION, utilisation(service, t, jitter));
    return service.replicas() * u * u / (1 - u) + backlog(service, t, jitter);
  }

  double latencyP50(SimulatedService service, long t, double jitter) {
    double u = Math.min(MAX_UTILISATION, utilisation(service, t, jitter));
    double own =
        service.profile().serviceTimeMs()
            * queueing(u)
            * (1 + FaultEffects.GC_P50_EXTRA * gcPressure(service, t));
    double callees = 0;
    List<Dependency> dependencies = service.profile().dependencies();
    for (int i = 0; i < dependencies.size(); i++) {
      Dependency dependency = dependencies.get(i);
      callees += dependency.weight() * latencyP50(service.callee(i), t - dependency.lagMillis(), 1);
    }
    return (own + callees) * FaultEffects.p50Factor(service, t) + waitMillis(service, t, jitter);
  }

  double latencyP99(SimulatedService service, long t, double jitter) {
    double u = Math.min(MAX_UTILISATION, utilisation(service, t, jitter));
    ServiceProfile profile = service.profile();
    double own =
        profile.serviceTimeMs()
            * profile.tailFactor()
            * queueing(u)
            * (1 + 2 * u * u * u)
            * (1 + FaultEffects.GC_P99_EXTRA * gcPressure(service, t));
    double callees = 0;
    List<Dependency> dependencies = profile.dependencies();
    for (int i = 0; i < dependencies.size(); i++) {
      Dependency dependency = dependencies.get(i);
      callees += dependency.weight() * latencyP99(service.callee(i), t - dependency.lagMillis(), 1);
    }
    return (own + callees) * FaultEffects.p99Factor(service, t)
        + 1.5 * waitMillis(service, t, jitter);
  }

  double errorRate(SimulatedService service, long t, double jitter) {
    double u = utilisation(service, t, jitter);
    double own =
        service.profile().baseErrorRate()
            + FaultEffects.errorRate(service, t)
            + FaultEffects.GC_ERROR_RATE * gcPressure(service, t)
            + (u > 1 ? OVERLOAD_ERROR_SHARE * (1 - 1 / u) : 0);
    if (service.restartingAt(t)) {
      own = Math.max(own, FaultEffects.RESTART_ERROR_SHARE / service.replicas());
    }
    double success = 1 - Math.min(1, own);
    List<Dependency> dependencies = service.profile().dependencies();
    for (int i = 0; i < dependencies.size(); i++) {
      Dependency dependency = dependencies.get(i);
      double calleeErrors = errorRate(service.callee(i), t - dependency.lagMillis(), 1);
      success *= callSuccess(calleeErrors, dependency.weight());
    }
    return 1 - success;
  }

  /**
   * The chance that a request's calls to a callee all succeed: {@code w = 3} is three calls each
   * failing with the callee's error rate; {@code w = 0.5} is one call made by half the requests.
   */
  private static double callSuccess(double calleeErrors, double weight) {
    double whole = Math.floor(weight);
    return Math.pow(1 - calleeErrors, whole) * (1 - (weight - whole) * calleeErrors);
  }

  private static double queueing(double utilisation) {
    return 1 + QUEUEING_WEIGHT * utilisation / (1 - utilisation);
  }

  private double waitMillis(SimulatedService service, long t, double jitter) {
    return backlog(service, t, jitter) / capacity(service) * 1000;
  }
}
