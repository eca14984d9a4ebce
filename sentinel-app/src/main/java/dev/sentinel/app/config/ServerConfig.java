package dev.sentinel.app.config;

/**
 * The HTTP server.
 *
 * @param host address to bind; 0.0.0.0 for every interface
 * @param port TCP port; 0 picks a free one (the bound port is printed)
 * @param maxBodyBytes largest body the telemetry receivers accept, before and after decompression,
 *     unless {@code bodyLimits} sets one of them
 * @param cumulativeAsRate whether the receivers (remote write, OTLP, Kafka's {@code otlp}) turn
 *     counters (monotonic cumulative sums, histogram and summary counts and sums) into rates per
 *     second and classic histograms' buckets into quantiles; off, they are passed on raw
 * @param bodyLimits the largest body of each receiver
 * @param console where the console's incident page links out to (Grafana, runbooks)
 */
public record ServerConfig(
    String host,
    int port,
    long maxBodyBytes,
    boolean cumulativeAsRate,
    BodyLimits bodyLimits,
    ConsoleLinks console) {

  public ServerConfig(String host, int port, long maxBodyBytes) {
    // Rates by default: a raw counter only grows, and detection would flag its growth.
    this(host, port, maxBodyBytes, true, BodyLimits.defaults());
  }

  public ServerConfig(
      String host, int port, long maxBodyBytes, boolean cumulativeAsRate, BodyLimits bodyLimits) {
    this(host, port, maxBodyBytes, cumulativeAsRate, bodyLimits, ConsoleLinks.defaults());
  }

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (bodyLimits == null) {
      bodyLimits = BodyLimits.defaults();
    }
    if (console == null) {
      console = ConsoleLinks.defaults();
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
    if (maxBodyBytes < BodyLimits.MIN_BYTES || maxBodyBytes > BodyLimits.MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be in "
              + BodyLimits.MIN_BYTES
              + ".."
              + BodyLimits.MAX_BYTES
              + ", was "
              + maxBodyBytes);
    }
  }

  /** The limit of {@code POST /api/v1/metrics}. */
  public long metricsBodyBytes() {
    return bodyLimits.metrics() == 0 ? maxBodyBytes : bodyLimits.metrics();
  }

  /** The limit of {@code POST /api/v1/write}. */
  public long remoteWriteBodyBytes() {
    return bodyLimits.remoteWrite() == 0 ? maxBodyBytes : bodyLimits.remoteWrite();
  }

  /** The limit of the OTLP receiver. */
  public long otlpBodyBytes() {
    return bodyLimits.otlp() == 0 ? maxBodyBytes : bodyLimits.otlp();
  }

  /** The largest of every receiver's limit: what the HTTP server itself lets through. */
  public long largestBodyBytes() {
    return java.util.stream.LongStream.of(
            metricsBodyBytes(),
            remoteWriteBodyBytes(),
            otlpBodyBytes(),
            bodyLimits.alertmanager(),
            bodyLimits.slack())
        .max()
        .orElseThrow();
  }

  public ServerConfig withBodyLimits(BodyLimits limits) {
    return new ServerConfig(host, port, maxBodyBytes, cumulativeAsRate, limits, console);
  }

  public static ServerConfig defaults() {
    // 16 MiB: some 250,000 JSON points, or 50 times what Prometheus sends in one request; every
    // request may hold this much, decompressed, at once.
    return new ServerConfig("0.0.0.0", 8080, 16L * 1024 * 1024);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(host, port, maxBodyBytes, cumulativeAsRate, bodyLimits, console);
  }
}
