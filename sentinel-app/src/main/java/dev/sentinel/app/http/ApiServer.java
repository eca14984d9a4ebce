package dev.sentinel.app.http;

import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.analyse.Precedent;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.app.config.ServerConfig;
import dev.sentinel.app.demo.DemoDriver;
import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.ingest.OtlpMetricsDecoder;
import dev.sentinel.app.ingest.RemoteWriteDecoder;
import dev.sentinel.app.notify.IncidentFeed;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.app.observe.SentinelVersion;
import dev.sentinel.app.observe.TraceIds;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.notifier.PagerDutySignature;
import dev.sentinel.notifier.SlackResponder;
import dev.sentinel.notifier.SlackSignature;
import dev.sentinel.notify.ReplayGuard;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.trace.RequestIds;
import dev.sentinel.workflow.Approvals;
import dev.sentinel.workflow.CaseState;
import dev.sentinel.workflow.IncidentControls;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP API: routes with the {@link Access} each requires, and the one place where exceptions
 * become status codes. Handlers run on virtual threads.
 *
 * <p>Every route declares its access where it is registered; {@link Authenticator} enforces it
 * before the handler runs, and a test holds {@code openapi.json} to this list.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /**
   * Everything the routes read from, grouped by the assembly that provides it.
   *
   * @param ingest where points go and what the series routes read
   * @param incidents the incidents, where alerts go, and the console's live feed
   * @param remediation workflow state and human decisions, and the demo's simulated fleet
   * @param accounts who may call, and the audit trail of what they did
   * @param observed request metrics, the Prometheus scrape and the health checks
   * @param inbound what outside services send back, signed: Slack's button clicks at {@code
   *     /api/v1/slack/interactions}, PagerDuty's webhooks at {@code /api/v1/pagerduty/webhook}
   */
  public record Parts(
      ServerConfig server,
      Clock clock,
      Ingest ingest,
      Incidents incidents,
      Remediation remediation,
      Accounts accounts,
      Observed observed,
      Inbound inbound) {

    public Parts {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(ingest, "ingest");
      Objects.requireNonNull(incidents, "incidents");
      Objects.requireNonNull(remediation, "remediation");
      Objects.requireNonNull(accounts, "accounts");
      Objects.requireNonNull(observed, "observed");
      Objects.requireNonNull(inbound, "inbound");
    }
  }

  /**
   * The ingest pipeline's face.
   *
   * @param series the series registry the protobuf receivers intern into, and {@code
   *     /api/v1/series} lists
   * @param latest the latest value of every series, shown by {@code /api/v1/series}
   * @param history the telemetry store behind {@code /api/v1/series/history} and {@code
   *     /api/v1/series/baseline}; empty when none is configured
   */
  public record Ingest(
      TelemetryBus bus,
      JsonPointDecoder decoder,
      SeriesRegistry series,
      LatestValues latest,
      AnomalyLog anomalies,
      Optional<TelemetryStore> history) {

    public Ingest {
      Objects.requireNonNull(bus, "bus");
      Objects.requireNonNull(decoder, "decoder");
      Objects.requireNonNull(series, "series");
      Objects.requireNonNull(latest, "latest");
      Objects.requireNonNull(anomalies, "anomalies");
      Objects.requireNonNull(history, "history");
    }
  }

  /**
   * The incident desk's face.
   *
   * @param correlator where Alertmanager's alerts go, as signals next to the anomalies
   * @param feed live incident changes, streamed to the console
   * @param similar the resolved incidents most like an incident, for {@code GET
   *     /api/v1/incidents/{id}}; empty without semantic memory
   */
  public record Incidents(
      IncidentStore store,
      Correlator correlator,
      IncidentFeed feed,
      Function<Incident, List<Precedent>> similar) {

    public Incidents {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(correlator, "correlator");
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(similar, "similar");
    }
  }

  /**
   * The remediation assembly's face.
   *
   * @param workflow the latest workflow state of an incident, when it has one
   * @param approvals human decisions on waiting plans; empty when remediation is disabled (the
   *     routes then answer 409)
   * @param controls what people do with incidents (acknowledge, take over...); empty when
   *     remediation is disabled (the routes then answer 409)
   * @param simulation the simulated fleet of {@code --demo}; empty without it (its routes answer
   *     409)
   */
  public record Remediation(
      Function<String, Optional<CaseState>> workflow,
      Optional<Approvals> approvals,
      Optional<IncidentControls> controls,
      Optional<Simulation> simulation) {

    public Remediation {
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(approvals, "approvals");
      Objects.requireNonNull(controls, "controls");
      Objects.requireNonNull(simulation, "simulation");
    }

    /** No workflow, no approvals, no demo. */
    public static Remediation off() {
      return new Remediation(
          id -> Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** The demo's fleet and the driver that injects its faults. */
  public record Simulation(Fleet fleet, DemoDriver demo) {

    public Simulation {
      Objects.requireNonNull(fleet, "fleet");
      Objects.requireNonNull(demo, "demo");
    }
  }

  /**
   * @param keys the API keys, checked on every non-public request when {@code auth.enabled}
   * @param audit the audit trail served by {@code /api/v1/audit}
   */
  public record Accounts(AuthConfig auth, ApiKeyStore keys, AuditTrail audit) {

    public Accounts {
      Objects.requireNonNull(auth, "auth");
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(audit, "audit");
    }
  }

  /** What {@code /metrics} and {@code /health/detailed} answer from. */
  public record Observed(
      PipelineMetrics metrics, PrometheusMeterRegistry registry, Map<String, HealthCheck> health) {

    public Observed {
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(health, "health");
    }
  }

  /**
   * @param slack with a signing secret, Slack's button clicks are taken
   * @param pagerDutySecret with a secret, PagerDuty's webhooks are taken; empty turns them off
   * @param replays Slack requests and PagerDuty events already acted on
   */
  public record Inbound(NotifyConfig.Slack slack, String pagerDutySecret, ReplayGuard replays) {

    public Inbound {
      Objects.requireNonNull(slack, "slack");
      Objects.requireNonNull(pagerDutySecret, "pagerDutySecret");
      Objects.requireNonNull(replays, "replays");
    }
  }

  /** A registered route and what it requires, as Javalin's router holds it. */
  record Route(HandlerType method, String path, Access access) {}

  /** The MDC key of a request's trace id (its request id is under {@link RequestIds#KEY}). */
  public static final String TRACE_ID = "traceId";

  private static final String STARTED = "sentinel.started";

  /**
   * Series whose previous cumulative value each receiver (remote write, OTLP) remembers for rates
   * (~100 B each, plus the buckets of a histogram).
   */
  private static final int RATE_SERIES = 200_000;

  private final Javalin app;

  public ApiServer(Parts parts) {
    ServerConfig server = parts.server();
    Clock clock = parts.clock();
    Ingest points = parts.ingest();
    PipelineMetrics metrics = parts.observed().metrics();
    Accounts accounts = parts.accounts();
    IngestEndpoint ingest =
        new IngestEndpoint(points.decoder(), points.bus(), metrics, server.metricsBodyBytes());
    RemoteWriteEndpoint remoteWrite =
        new RemoteWriteEndpoint(
            new RemoteWriteDecoder(points.series(), clock, server.cumulativeAsRate(), RATE_SERIES),
            points.bus(),
            metrics,
            server.remoteWriteBodyBytes());
    OtlpEndpoint otlp =
        new OtlpEndpoint(
            new OtlpMetricsDecoder(points.series(), clock, server.cumulativeAsRate(), RATE_SERIES),
            points.bus(),
            metrics,
            server.otlpBodyBytes());
    SeriesEndpoint series = new SeriesEndpoint(points.series(), points.latest());
    HistoryEndpoints history =
        new HistoryEndpoints(points.history(), points.series(), points.latest(), clock);
    QueryEndpoints queries =
        new QueryEndpoints(
            points.anomalies(),
            parts.incidents().store(),
            parts.remediation().workflow(),
            clock,
            parts.incidents().similar());
    Authenticator authenticator =
        new Authenticator(
            accounts.keys(), accounts.auth().enabled(), clock, parts.observed().registry());
    KeyEndpoints keys = new KeyEndpoints(accounts.keys(), authenticator);
    AuditEndpoint audit = new AuditEndpoint(accounts.audit(), clock);
    AlertmanagerEndpoint alertmanager =
        new AlertmanagerEndpoint(
            parts.incidents().correlator(), metrics, clock, server.bodyLimits().alertmanager());
    OpenApiDocument openApi = new OpenApiDocument();
    ConsoleEndpoints console =
        new ConsoleEndpoints(parts.incidents().feed(), parts.server().console());
    if (!accounts.auth().enabled()) {
      log.warn(
          "auth.enabled is false: anyone who can reach {}:{} can read incidents, send telemetry"
              + " and approve actions",
          server.host(),
          server.port());
    }
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              // Each endpoint bounds its own body (RequestBodies); this is only the outer fence.
              config.http.maxRequestSize = server.largestBodyBytes();
              config.jetty.host = server.host();
              config.jetty.port = server.port();
              config.routes.before(ApiServer::requestId);
              config.routes.after(ctx -> finished(ctx, metrics));
              // Access before anything else that looks at the request: no key, no other answer.
              config.routes.beforeMatched(authenticator);
              config.routes.post("/api/v1/metrics", ingest, Access.INGEST);
              config.routes.post("/api/v1/write", remoteWrite, Access.INGEST);
              config.routes.post("/v1/metrics", otlp, Access.INGEST);
              config.routes.post("/api/v1/otlp/v1/metrics", otlp, Access.INGEST);
              config.routes.post("/api/v1/alerts/alertmanager", alertmanager, Access.INGEST);
              config.routes.get("/api/v1/series", series::list, Access.VIEWER);
              config.routes.get("/api/v1/series/history", history::history, Access.VIEWER);
              config.routes.get("/api/v1/series/baseline", history::baseline, Access.VIEWER);
              config.routes.get("/api/v1/series/{key}/points", history::points, Access.VIEWER);
              config.routes.get("/api/v1/anomalies", queries::anomalies, Access.VIEWER);
              config.routes.get("/api/v1/incidents", queries::incidents, Access.VIEWER);
              // Before /api/v1/incidents/{id}, which would otherwise take "stream" for an id.
              config.routes.get("/api/v1/incidents/stream", console.stream(), Access.VIEWER);
              config.routes.get("/api/v1/incidents/{id}", queries::incident, Access.VIEWER);
              remediationRoutes(config.routes, parts.remediation().approvals());
              controlRoutes(config.routes, parts.remediation().controls());
              simulatorRoutes(config.routes, parts.remediation().simulation());
              config.routes.get("/api/v1/audit", audit::list, Access.VIEWER);
              config.routes.get("/api/v1/keys", keys::list, Access.ADMIN);
              config.routes.post("/api/v1/keys", keys::create, Access.ADMIN);
              config.routes.delete("/api/v1/keys/{id}", keys::revoke, Access.ADMIN);
              // Probes and scrapers may ask with HEAD: the same answer without its body.
              Handler live = ctx -> ctx.json(Map.of("status", "UP"));
              Handler detailed =
                  ctx ->
                      detailedHealth(
                          ctx,
                          parts.observed().health(),
                          !accounts.auth().enabled() || Authenticator.caller(ctx).isPresent());
              Handler scrape =
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(parts.observed().registry().scrape());
              config.routes.get("/health", live, Access.PUBLIC);
              config.routes.head("/health", live, Access.PUBLIC);
              config.routes.get("/health/detailed", detailed, Access.PUBLIC);
              config.routes.head("/health/detailed", detailed, Access.PUBLIC);
              config.routes.get("/metrics", scrape, Access.PUBLIC);
              config.routes.head("/metrics", scrape, Access.PUBLIC);
              config.routes.get(OpenApiDocument.RESOURCE, openApi, Access.PUBLIC);
              config.routes.get("/api/v1/session", console::session, Access.VIEWER);
              // The address alone leads to the console.
              config.routes.get("/", ctx -> ctx.redirect("/console"), Access.PUBLIC);
              config.routes.get("/console", console::page, Access.PUBLIC);
              config.routes.get("/console/{asset}", console::asset, Access.PUBLIC);
              config.routes.after("/console", ApiServer::consoleHeaders);
              config.routes.after("/console/*", ApiServer::consoleHeaders);
              config.routes.post("/api/v1/slack/interactions", slackRoute(parts), Access.PUBLIC);
              config.routes.post("/api/v1/pagerduty/webhook", pagerDutyRoute(parts), Access.PUBLIC);
              config.routes.exception(AccessDeniedException.class, ApiServer::accessDenied);
              config.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> error(ctx, HttpStatus.forStatus(e.getStatus()), e.getMessage()));
              config.routes.exception(InvalidPointsException.class, ApiServer::invalidPoints);
              config.routes.exception(
                  BadRequestException.class,
                  (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
              config.routes.exception(
                  BatchTooLargeException.class,
                  (e, ctx) -> error(ctx, HttpStatus.CONTENT_TOO_LARGE, e.getMessage()));
              config.routes.exception(
                  BodyTooLargeException.class,
                  (e, ctx) -> {
                    // The rest of the body is never read: the connection cannot be reused.
                    ctx.header("Connection", "close");
                    error(ctx, HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
                  });
              config.routes.exception(
                  com.fasterxml.jackson.core.JsonProcessingException.class,
                  (e, ctx) ->
                      error(
                          ctx,
                          HttpStatus.BAD_REQUEST,
                          "malformed JSON: " + e.getOriginalMessage()));
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

  /** Approve and reject; without remediation they answer 409, so the API's shape is fixed. */
  private static void remediationRoutes(RoutesConfig routes, Optional<Approvals> approvals) {
    Handler approve = unavailable("remediation is disabled (remediation.enabled: false)");
    Handler reject = approve;
    if (approvals.isPresent()) {
      RemediationEndpoints remediation =
          new RemediationEndpoints(approvals.get(), Authenticator::actor);
      approve = remediation::approve;
      reject = remediation::reject;
    }
    routes.post("/api/v1/incidents/{id}/approve", approve, Access.OPERATOR);
    routes.post("/api/v1/incidents/{id}/reject", reject, Access.OPERATOR);
  }

  /**
   * What people do with incidents; without remediation they answer 409, so the API's shape is
   * fixed.
   */
  private static void controlRoutes(RoutesConfig routes, Optional<IncidentControls> controls) {
    Handler off = unavailable("remediation is disabled (remediation.enabled: false)");
    Optional<ControlEndpoints> endpoints =
        controls.map(found -> new ControlEndpoints(found, Authenticator::actor));
    Map<String, Handler> handlers = new LinkedHashMap<>();
    handlers.put("acknowledge", endpoints.<Handler>map(e -> e::acknowledge).orElse(off));
    handlers.put("assign", endpoints.<Handler>map(e -> e::assign).orElse(off));
    handlers.put("note", endpoints.<Handler>map(e -> e::note).orElse(off));
    handlers.put("severity", endpoints.<Handler>map(e -> e::severity).orElse(off));
    handlers.put("take-over", endpoints.<Handler>map(e -> e::takeOver).orElse(off));
    handlers.put("hand-back", endpoints.<Handler>map(e -> e::handBack).orElse(off));
    handlers.put("resolve", endpoints.<Handler>map(e -> e::resolve).orElse(off));
    handlers.forEach(
        (path, handler) -> routes.post("/api/v1/incidents/{id}/" + path, handler, Access.OPERATOR));
  }

  /** Slack's button clicks; without a signing secret the route answers 404. */
  private static Handler slackRoute(Parts parts) {
    NotifyConfig.Slack slack = parts.inbound().slack();
    if (slack.signingSecret().isEmpty()) {
      return ctx -> {
        throw new NotFoundResponse(
            "Slack interactions are not configured (notify.slack.signingSecret)");
      };
    }
    return new SlackInteractions(
        new SlackSignature(slack.signingSecret(), parts.clock()),
        parts.inbound().replays(),
        slack.approverNames(),
        parts.remediation().approvals(),
        parts.remediation().controls(),
        parts.accounts().audit(),
        new SlackResponder(java.time.Duration.ofSeconds(5)),
        parts.clock(),
        parts.server().bodyLimits().slack());
  }

  /** PagerDuty's v3 webhooks; without a webhook secret the route answers 404. */
  private static Handler pagerDutyRoute(Parts parts) {
    String secret = parts.inbound().pagerDutySecret();
    if (secret.isEmpty()) {
      return ctx -> {
        throw new NotFoundResponse(
            "PagerDuty webhooks are not configured (notify.pagerduty.webhookSecret)");
      };
    }
    return new PagerDutyWebhooks(
        new PagerDutySignature(secret),
        parts.inbound().replays(),
        parts.remediation().controls(),
        parts.accounts().audit(),
        parts.clock(),
        parts.server().bodyLimits().slack());
  }

  /** The demo fleet; without {@code --demo} its routes answer 409. */
  private static void simulatorRoutes(RoutesConfig routes, Optional<Simulation> simulation) {
    Handler describe = unavailable("no simulated fleet: start Sentinel with --demo");
    Handler inject = describe;
    if (simulation.isPresent()) {
      SimulatorEndpoints simulator =
          new SimulatorEndpoints(simulation.get().fleet(), simulation.get().demo());
      describe = simulator::describe;
      inject = simulator::inject;
    }
    routes.get("/api/v1/simulator", describe, Access.VIEWER);
    routes.post("/api/v1/simulator/faults", inject, Access.OPERATOR);
  }

  private static Handler unavailable(String reason) {
    return ctx -> {
      throw new ConflictResponse(reason);
    };
  }

  /** The routes as registered in Javalin's router, with the access each declares. */
  List<Route> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> new Route(endpoint.method, endpoint.path, access(endpoint)))
        .toList();
  }

  private static Access access(Endpoint endpoint) {
    Roles roles = endpoint.metadata(Roles.class);
    Set<RouteRole> declared = roles == null ? Set.of() : roles.getRoles();
    return declared.size() == 1 && declared.iterator().next() instanceof Access access
        ? access
        : null;
  }

  /**
   * Accepts the caller's {@code X-Request-ID} (or makes one), answers with it, and puts it in the
   * MDC with the request's trace id (the caller's W3C {@code traceparent}, else one derived from
   * the request id) so every log line of the request, and what it records, carries both.
   */
  private static void requestId(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    String id = ctx.header(RequestIds.HEADER);
    if (id == null
        || id.isBlank()
        || id.length() > 128
        || !id.chars().allMatch(c -> c > 32 && c < 127)) {
      id = UUID.randomUUID().toString();
    }
    ctx.header(RequestIds.HEADER, id);
    MDC.put(RequestIds.KEY, id);
    MDC.put(TRACE_ID, traceId(ctx.header("traceparent"), id));
  }

  /** The trace id of a valid {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}). */
  static String traceId(String traceparent, String requestId) {
    if (traceparent != null
        && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
        && !traceparent.substring(3, 35).equals(TraceIds.NONE)) {
      return traceparent.substring(3, 35);
    }
    return TraceIds.of(requestId);
  }

  private static void finished(Context ctx, PipelineMetrics metrics) {
    try {
      Long started = ctx.attribute(STARTED);
      if (started != null) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        metrics.request(
            ctx.method().name(),
            endpoint == null ? "unmatched" : endpoint.path,
            ctx.statusCode(),
            System.nanoTime() - started);
      }
    } finally {
      MDC.remove(RequestIds.KEY);
      MDC.remove(TRACE_ID);
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

  private static void accessDenied(AccessDeniedException e, Context ctx) {
    ctx.header("WWW-Authenticate", e.challenge());
    error(ctx, HttpStatus.forStatus(e.reason().status), e.getMessage());
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(Map.of("error", message));
  }

  /**
   * The console's pages and assets: a policy that allows only its own script, style and API (the
   * page has no inline script or style), and may not be framed.
   */
  private static void consoleHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONSOLE_POLICY)
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer");
  }

  static final String CONSOLE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /**
   * Every component's status; its message and details (ports, paths, counts) only for a caller with
   * a key, or when auth is off, since the route itself is open to probes; so is the build's
   * version.
   */
  private static void detailedHealth(
      Context ctx, Map<String, HealthCheck> checks, boolean detailsShown) {
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
      components.put(check.getKey(), detailsShown ? health : Map.of("status", health.status()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", overall);
    if (detailsShown) {
      body.put("version", SentinelVersion.current().display());
    }
    body.put("components", components);
    ctx.status(overall == Health.Status.DOWN ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
        .json(body);
  }

  @Override
  public void close() {
    app.stop();
  }
}
