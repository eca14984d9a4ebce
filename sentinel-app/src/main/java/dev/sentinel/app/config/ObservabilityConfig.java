package dev.sentinel.app.config;

import java.net.URI;

/**
 * Sentinel's own traces.
 *
 * @param otlpEndpoint where spans of the workflow's steps go over OTLP/HTTP, e.g. {@code
 *     http://otel-collector:4318} ({@code /v1/traces} is appended); empty means the standard {@code
 *     OTEL_EXPORTER_OTLP_ENDPOINT} if that is set, else no tracing at all (no-op, the default:
 *     spans cost nothing when nobody collects them)
 * @param serviceName the {@code service.name} resource attribute of the spans
 */
public record ObservabilityConfig(String otlpEndpoint, String serviceName) {

  public ObservabilityConfig {
    otlpEndpoint = otlpEndpoint == null ? "" : otlpEndpoint.strip();
    if (!otlpEndpoint.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(otlpEndpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "otlpEndpoint must be an http(s) URL, was '" + otlpEndpoint + "'");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "otlpEndpoint must be an http(s) URL, was '" + otlpEndpoint + "'");
      }
    }
    if (serviceName == null || serviceName.isBlank()) {
      throw new IllegalArgumentException("serviceName must not be blank");
    }
  }

  public static ObservabilityConfig defaults() {
    return new ObservabilityConfig("", "sentinel");
  }
}
