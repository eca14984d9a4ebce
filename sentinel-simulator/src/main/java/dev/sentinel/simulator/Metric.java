package dev.sentinel.simulator;

/** The metrics every simulated service reports, with the series names they are published under. */
public enum Metric {
  /** Requests arriving per second. */
  REQUEST_RATE("request_rate"),
  /** Median response time in milliseconds. */
  LATENCY_P50_MS("latency_p50_ms"),
  /** 99th-percentile response time in milliseconds. */
  LATENCY_P99_MS("latency_p99_ms"),
  /** Fraction of requests that fail, in [0, 1]. */
  ERROR_RATE("error_rate"),
  /** Mean CPU use across replicas, in [0, 1]. */
  CPU_UTILIZATION("cpu_utilization"),
  /** Resident memory of one replica in bytes. */
  MEMORY_USED_BYTES("memory_used_bytes"),
  /** Requests waiting for a worker, summed over replicas. */
  QUEUE_DEPTH("queue_depth");

  private final String seriesName;

  Metric(String seriesName) {
    this.seriesName = seriesName;
  }

  public String seriesName() {
    return seriesName;
  }
}
