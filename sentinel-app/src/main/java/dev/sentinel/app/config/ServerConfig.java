package dev.sentinel.app.config;

/**
 * The HTTP server.
 *
 * @param host address to bind; 0.0.0.0 for every interface
 * @param port TCP port; 0 picks a free one (the bound port is printed)
 * @param maxBodyBytes largest request body accepted, before and after decompression
 * @param otlpCumulativeAsRate whether the OTLP receiver turns monotonic cumulative sums (and
 *     histogram and summary counts) into rates per second; off, they are passed on raw
 */
public record ServerConfig(String host, int port, long maxBodyBytes, boolean otlpCumulativeAsRate) {

  public ServerConfig(String host, int port, long maxBodyBytes) {
    this(host, port, maxBodyBytes, false);
  }

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 1024, was " + maxBodyBytes);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 8080, 64L * 1024 * 1024);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(host, port, maxBodyBytes, otlpCumulativeAsRate);
  }
}
