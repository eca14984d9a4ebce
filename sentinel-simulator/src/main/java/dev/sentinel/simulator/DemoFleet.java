package dev.sentinel.simulator;

import java.time.Duration;
import java.util.List;

/**
 * The fleet behind {@code sentinel run --demo}: a front door ({@code api}) that serves some
 * requests from {@code cache} and sends checkouts to {@code checkout}, which queries {@code db}.
 * Trouble in {@code db} therefore reaches {@code checkout} about three seconds later and {@code
 * api} about four seconds after that.
 *
 * <p>Capacities are sized so that each service runs near half its capacity at the weekday peak:
 * busy enough that the daily swing shows in CPU and latency, with room for detectors to see a fault
 * as a departure from normal.
 */
final class DemoFleet {

  static final String ENVIRONMENT = "demo";
  static final Duration LATENCY_SPIKE_DURATION = Duration.ofMinutes(10);

  private static final long MIB = 1024L * 1024;

  private DemoFleet() {}

  static List<ServiceProfile> services() {
    return List.of(
        new ServiceProfile(
            "api",
            "api-1",
            ENVIRONMENT,
            "v2.14.0",
            3,
            1200,
            800,
            12,
            4,
            0.002,
            new MemoryProfile(700 * MIB, 2048 * MIB, 40 * MIB, 97_000),
            3_000,
            List.of(new Dependency("checkout", 0.5, 4_000), new Dependency("cache", 1, 1_000))),
        new ServiceProfile(
            "checkout",
            "checkout-1",
            ENVIRONMENT,
            "v1.8.3",
            2,
            300,
            300,
            25,
            5,
            0.004,
            new MemoryProfile(900 * MIB, 2048 * MIB, 56 * MIB, 131_000),
            3_000,
            List.of(new Dependency("db", 3, 3_000))),
        new ServiceProfile(
            "db",
            "db-1",
            ENVIRONMENT,
            "v15.4",
            1,
            900,
            2000,
            2,
            6,
            0.0005,
            new MemoryProfile(4096 * MIB, 8192 * MIB, 24 * MIB, 307_000),
            10_000,
            List.of()),
        new ServiceProfile(
            "cache",
            "cache-1",
            ENVIRONMENT,
            "v7.2.4",
            2,
            3000,
            8000,
            0.4,
            5,
            0.0001,
            new MemoryProfile(1536 * MIB, 4096 * MIB, 8 * MIB, 211_000),
            2_000,
            List.of()));
  }
}
