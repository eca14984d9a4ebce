package dev.sentinel.app.observe;

import dev.sentinel.app.config.ObservabilityConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentinel's OpenTelemetry: an SDK exporting spans over OTLP/HTTP when an endpoint is configured
 * ({@code observability.otlpEndpoint}, else {@code OTEL_EXPORTER_OTLP_ENDPOINT}), otherwise the
 * no-op API, whose spans are free. Built explicitly here rather than by the SDK's autoconfigure
 * module, which discovers exporters through ServiceLoader (see STYLE.md, "one composition root").
 */
public final class Tracing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_INSTANCE =
      AttributeKey.stringKey("service.instance.id");

  private final OpenTelemetry openTelemetry;
  private final SdkTracerProvider provider;

  private Tracing(OpenTelemetry openTelemetry, SdkTracerProvider provider) {
    this.openTelemetry = openTelemetry;
    this.provider = provider;
  }

  /** Tracing per the configuration and environment; no-op when no endpoint is set. */
  public static Tracing start(
      ObservabilityConfig config, Map<String, String> environment, String instance) {
    Optional<String> endpoint = tracesEndpoint(config, environment);
    if (endpoint.isEmpty()) {
      return new Tracing(OpenTelemetry.noop(), null);
    }
    log.info("tracing: spans of the workflow's steps go to {}", endpoint.get());
    SpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint.get())
            .setTimeout(Duration.ofSeconds(10))
            .build();
    return withExporter(exporter, config.serviceName(), instance);
  }

  /** Tracing into the given exporter: for tests, and behind {@link #start}. */
  public static Tracing withExporter(SpanExporter exporter, String serviceName, String instance) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(SERVICE_NAME, serviceName, SERVICE_INSTANCE, instance))))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build(), provider);
  }

  /**
   * The OTLP/HTTP traces URL: the configured or standard base endpoint with {@code /v1/traces}, or
   * the standard signal-specific {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as it is.
   */
  static Optional<String> tracesEndpoint(
      ObservabilityConfig config, Map<String, String> environment) {
    String base = config.otlpEndpoint();
    if (base.isEmpty()) {
      String traces = environment.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip();
      if (!traces.isEmpty()) {
        return Optional.of(traces);
      }
      base = environment.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip();
    }
    if (base.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces");
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public boolean enabled() {
    return provider != null;
  }

  /** Exports what is buffered now, waiting up to 10 s. */
  public void flush() {
    if (provider != null) {
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }

  /** Exports what is buffered, then stops. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
