package dev.sentinel.simulator;

import java.util.random.RandomGenerator;

/**
 * Turns the model's expected values into one noisy sample per metric. Each service draws the same
 * number of random values on every emit whatever its state, so two fleets with the same seed stay
 * in step and differ only where their faults or operations differ.
 *
 * <p>This is the hot path of the simulator: no allocation per point, keys are built once per series
 * by {@link SimulatedService}.
 */
final class Sampler {

  private static final double RATE_NOISE = 0.02;
  private static final double P50_NOISE = 0.04;
  private static final double P99_NOISE = 0.07;
  private static final double ERROR_NOISE = 0.2;
  private static final double CPU_NOISE = 0.012;
  private static final double MEMORY_NOISE_BYTES = 1.5 * 1024 * 1024;

  private final ServiceModel model;
  private final RandomGenerator random;

  Sampler(ServiceModel model, RandomGenerator random) {
    this.model = model;
    this.random = random;
  }

  /** Shared by all services in one emit: traffic surges reach every service together. */
  double loadJitter() {
    return 1 + RATE_NOISE * random.nextGaussian();
  }

  void emit(SimulatedService service, long t, double loadJitter, MetricSink sink) {
    double rate = model.demand(service, t, loadJitter) * relative(RATE_NOISE);
    double p50 = model.latencyP50(service, t, loadJitter) * relative(P50_NOISE);
    double p99 = Math.max(p50, model.latencyP99(service, t, loadJitter) * relative(P99_NOISE));
    double errors = model.errorRate(service, t, loadJitter) * relative(ERROR_NOISE);
    double cpu = model.cpu(service, t, loadJitter) + CPU_NOISE * random.nextGaussian();
    double memory = model.memoryBytes(service, t) + MEMORY_NOISE_BYTES * random.nextGaussian();
    double queue = model.queueDepth(service, t, loadJitter);
    queue += Math.sqrt(queue) * random.nextGaussian();

    long limit = service.profile().memory().limitBytes();
    sink.accept(service.key(Metric.REQUEST_RATE), t, rate);
    sink.accept(service.key(Metric.LATENCY_P50_MS), t, p50);
    sink.accept(service.key(Metric.LATENCY_P99_MS), t, p99);
    sink.accept(service.key(Metric.ERROR_RATE), t, Math.clamp(errors, 0.0, 1.0));
    sink.accept(service.key(Metric.CPU_UTILIZATION), t, Math.clamp(cpu, 0.0, 1.0));
    sink.accept(service.key(Metric.MEMORY_USED_BYTES), t, Math.min(limit, memory));
    sink.accept(service.key(Metric.QUEUE_DEPTH), t, Math.max(0, Math.round(queue)));
  }

  /** A multiplicative noise factor around 1 that never goes below zero. */
  private double relative(double spread) {
    return Math.max(0, 1 + spread * random.nextGaussian());
  }
}
