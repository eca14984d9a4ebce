package dev.sentinel.app.http;

import dev.sentinel.app.config.ServerConfig;
import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.incident.Correlator;
import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.TelemetryBus;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: routes, and the one place where exceptions become status codes. Handlers run on
 * virtual threads.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** Everything the routes read from. */
  public record Parts(
      ServerConfig server,
      Clock clock,
      TelemetryBus bus,
      JsonPointDecoder decoder,
      AnomalyLog anomalies,
      Correlator incidents,
      PipelineMetrics metrics,
      PrometheusMeterRegistry registry,
      Map<String, HealthCheck> health) {}

  private final Javalin app;

  public ApiServer(Parts parts) {
    IngestEndpoint ingest = new IngestEndpoint(parts.decoder(), parts.bus(), parts.metrics());
    QueryEndpoints queries =
        new QueryEndpoints(parts.anomalies(), parts.incidents(), parts.clock());
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.http.maxRequestSize = parts.server().maxBodyBytes();
              config.jetty.host = parts.server().host();
              config.jetty.port = parts.server().port();
              config.routes.before(ApiServer::requestId);
              config.routes.before("/api/v1/metrics", ctx -> checkBodySize(ctx, parts.server()));
              config.routes.post("/api/v1/metrics", ingest);
              config.routes.get("/api/v1/anomalies", queries::anomalies);
              config.routes.get("/api/v1/incidents", queries::incidents);
              config.routes.get("/api/v1/incidents/{id}", queries::incident);
              config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
              config.routes.get("/health/detailed", ctx -> detailedHealth(ctx, parts.health()));
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(parts.registry().scrape()));
              config.routes.exception(InvalidPointsException.class, ApiServer::invalidPoints);
              config.routes.exception(
                  BadRequestException.class,
                  (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
              config.routes.exception(
                  BatchTooLargeException.class,
                  (e, ctx) -> error(ctx, HttpStatus.CONTENT_TOO_LARGE, e.getMessage()));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("request {} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error; see the logs");
                  });
            });
  }

  /** Starts serving and returns the bound port (useful when the configured port is 0). */
  public int start() {
    app.start();
    return app.port();
  }

  private static void requestId(Context ctx) {
    String id = ctx.header("X-Request-ID");
    if (id == null || id.isBlank() || id.length() > 128) {
      id = UUID.randomUUID().toString();
    }
    ctx.header("X-Request-ID", id);
  }

  private static void checkBodySize(Context ctx, ServerConfig server) {
    long length = ctx.contentLength();
    if (length > server.maxBodyBytes()) {
      throw new BatchTooLargeException(
          "request body of " + length + " bytes exceeds server.maxBodyBytes=" + server.maxBodyBytes());
    }
  }

  private static void invalidPoints(InvalidPointsException e, Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", "the batch was refused: " + e.errorCount() + " invalid point(s)");
    body.put("accepted", 0);
    body.put("errorCount", e.errorCount());
    body.put("errors", e.errors());
    ctx.status(HttpStatus.BAD_REQUEST).json(body);
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(Map.of("error", message));
  }

  private static void detailedHealth(Context ctx, Map<String, HealthCheck> checks) {
    Health.Status overall = Health.Status.UP;
    Map<String, Object> components = new LinkedHashMap<>();
    for (Map.Entry<String, HealthCheck> check : checks.entrySet()) {
      Health health;
      try {
        health = check.getValue().check();
      } catch (RuntimeException e) {
        log.warn("health check {} failed", check.getKey(), e);
        health = new Health(Health.Status.DOWN, e.toString(), Map.of());
      }
      overall = Health.worst(overall, health.status());
      components.put(check.getKey(), health);
    }
    ctx.status(overall == Health.Status.DOWN ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
        .json(Map.of("status", overall, "components", components));
  }

  @Override
  public void close() {
    app.stop();
  }
}
