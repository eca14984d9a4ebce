package dev.sentinel.simulator;

/**
 * How strongly each fault moves a service's metrics. The sizes are chosen to be unmistakable to a
 * streaming detector within a few one-second samples while staying in the range real incidents
 * show; the report in the module's tests measures how many samples each takes.
 *
 * <p>Every method here is allocation-free: the emit path calls them for every point.
 */
final class FaultEffects {

  private static final double MIB = 1024.0 * 1024;

  /**
   * 5 MiB/s (300 MiB a minute): ten times the slope of the healthy garbage sawtooth, so a leak
   * leaves the normal band within 10 to 20 samples, and reaches the demo's pressure threshold in a
   * few minutes rather than hours.
   */
  static final double LEAK_BYTES_PER_SECOND = 5 * MIB;

  /** A latency spike multiplies the median by 4 and the 99th percentile by 7. */
  static final double SPIKE_P50_FACTOR = 4;

  static final double SPIKE_P99_FACTOR = 7;

  /** A spike that ends by itself eases off over its last 30 seconds instead of stopping dead. */
  static final long FADE_MILLIS = 30_000;

  /** An error burst fails 18% of requests (healthy services fail well under 1%). */
  static final double BURST_ERROR_RATE = 0.18;

  /**
   * Saturation adds the service's starting capacity again as extra load (a retry storm, a batch
   * job): utilisation is then at least 1.1 at the nightly low and 1.5 at the weekday peak. Doubling
   * the replicas brings the peak back to 75%; tripling them to 50%, a normal afternoon.
   */
  static final double SATURATION_EXTRA_LOAD = 1.0;

  /** A defective version fails 8% of requests and is slower and hungrier. */
  static final double BAD_DEPLOY_ERROR_RATE = 0.08;

  static final double BAD_DEPLOY_P50_FACTOR = 1.6;
  static final double BAD_DEPLOY_P99_FACTOR = 2.5;
  static final double BAD_DEPLOY_CPU = 0.05;

  /**
   * Above this fill of the memory limit the collector runs ever more often; at the limit it adds
   * these amounts (p99 up sevenfold, 5% of requests failing on out-of-memory errors).
   */
  static final double GC_PRESSURE_THRESHOLD = 0.75;

  static final double GC_P50_EXTRA = 1;
  static final double GC_P99_EXTRA = 6;
  static final double GC_CPU = 0.12;
  static final double GC_ERROR_RATE = 0.05;

  /** During a restart, replicas come back one at a time: this share of one replica fails. */
  static final double RESTART_ERROR_SHARE = 0.6;

  static final double RESTART_P50_FACTOR = 1.5;
  static final double RESTART_P99_FACTOR = 3;

  private FaultEffects() {}

  /** How strongly a fault of this kind acts at that time: 0 (absent) to 1 (full). */
  static double intensity(SimulatedService service, FaultKind kind, long timestampMillis) {
    Fault fault = service.fault(kind, timestampMillis);
    if (fault == null) {
      return 0;
    }
    if (!fault.endsByItself()) {
      return 1;
    }
    long remaining = fault.untilMillis() - timestampMillis;
    return Math.min(1, (double) remaining / FADE_MILLIS);
  }

  /** Bytes leaked by one replica since the leak began or its processes last started. */
  static double leakedBytes(SimulatedService service, long timestampMillis) {
    Fault leak = service.fault(FaultKind.MEMORY_LEAK, timestampMillis);
    if (leak == null) {
      return 0;
    }
    long since = Math.max(leak.startMillis(), service.processStartMillis());
    return Math.max(0, timestampMillis - since) / 1000.0 * LEAK_BYTES_PER_SECOND;
  }

  /** The start of the saturating load active at that time, or {@code Long.MIN_VALUE}. */
  static long saturationStart(SimulatedService service, long timestampMillis) {
    Fault saturation = service.fault(FaultKind.SATURATION, timestampMillis);
    return saturation == null ? Long.MIN_VALUE : saturation.startMillis();
  }

  static double p50Factor(SimulatedService service, long timestampMillis) {
    double spike = SPIKE_P50_FACTOR - 1;
    double deploy = BAD_DEPLOY_P50_FACTOR - 1;
    double factor =
        (1 + spike * intensity(service, FaultKind.LATENCY_SPIKE, timestampMillis))
            * (1 + deploy * intensity(service, FaultKind.BAD_DEPLOY, timestampMillis));
    return service.restartingAt(timestampMillis) ? factor * RESTART_P50_FACTOR : factor;
  }

  static double p99Factor(SimulatedService service, long timestampMillis) {
    double spike = SPIKE_P99_FACTOR - 1;
    double deploy = BAD_DEPLOY_P99_FACTOR - 1;
    double factor =
        (1 + spike * intensity(service, FaultKind.LATENCY_SPIKE, timestampMillis))
            * (1 + deploy * intensity(service, FaultKind.BAD_DEPLOY, timestampMillis));
    return service.restartingAt(timestampMillis) ? factor * RESTART_P99_FACTOR : factor;
  }

  /** Failures the service's own faults add, before overload, memory pressure and callees. */
  static double errorRate(SimulatedService service, long timestampMillis) {
    return BURST_ERROR_RATE * intensity(service, FaultKind.ERROR_BURST, timestampMillis)
        + BAD_DEPLOY_ERROR_RATE * intensity(service, FaultKind.BAD_DEPLOY, timestampMillis);
  }
}
