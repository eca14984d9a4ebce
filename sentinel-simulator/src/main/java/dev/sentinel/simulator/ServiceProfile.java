package dev.sentinel.simulator;

import java.util.List;
import java.util.Objects;

/**
 * The fixed character of one simulated service: how much traffic it gets, how fast it serves it and
 * what it calls. What changes at run time (replicas, version, faults) lives in {@link
 * SimulatedService}.
 *
 * @param name the service's name, also its {@code service} label
 * @param host its {@code host} label
 * @param environment its {@code env} label
 * @param version the version deployed at start
 * @param replicas replicas at start
 * @param peakRequestRate requests per second at the weekday daily peak
 * @param capacityPerReplica requests per second one replica can serve flat out
 * @param serviceTimeMs median time to serve one request on an idle replica
 * @param tailFactor how much slower the 99th percentile is than the median on an idle replica
 * @param baseErrorRate the share of requests that fail on a healthy day
 * @param memory how one replica uses memory
 * @param restartBlipMillis how long a restart leaves the service partly unavailable
 * @param dependencies the services it calls
 */
public record ServiceProfile(
    String name,
    String host,
    String environment,
    String version,
    int replicas,
    double peakRequestRate,
    double capacityPerReplica,
    double serviceTimeMs,
    double tailFactor,
    double baseErrorRate,
    MemoryProfile memory,
    long restartBlipMillis,
    List<Dependency> dependencies) {

  public ServiceProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(memory, "memory");
    if (name.isBlank()) {
      throw new IllegalArgumentException("service name must not be blank");
    }
    Fleet.checkReplicas(name, replicas);
    if (!(peakRequestRate > 0 && capacityPerReplica > 0 && serviceTimeMs > 0)) {
      throw new IllegalArgumentException(
          name + ": request rate, capacity and service time must be positive");
    }
    if (!(tailFactor >= 1)) {
      throw new IllegalArgumentException(name + ": tail factor must be >= 1, was " + tailFactor);
    }
    if (!(baseErrorRate >= 0 && baseErrorRate < 1)) {
      throw new IllegalArgumentException(name + ": base error rate must be in [0,1)");
    }
    if (restartBlipMillis < 0) {
      throw new IllegalArgumentException(name + ": restart blip must be >= 0");
    }
    dependencies = List.copyOf(dependencies);
  }

  /** Requests per second the replicas this service starts with can serve. */
  public double defaultCapacity() {
    return replicas * capacityPerReplica;
  }
}
