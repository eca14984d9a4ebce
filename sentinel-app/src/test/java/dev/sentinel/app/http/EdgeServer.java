package dev.sentinel.app.http;

import dev.sentinel.access.ApiKey;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.CreatedKey;
import dev.sentinel.access.Role;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.config.BodyLimits;
import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.app.config.ServerConfig;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.notify.IncidentFeed;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.audit.InMemoryAuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.incident.CorrelationConfig;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.notify.InMemoryReplayGuard;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real API server on 127.0.0.1 with everything the receivers write to held in memory, so a test
 * can see whether a request changed anything: the points handed to the bus (counted as they are
 * accepted, not when consumed), the incidents and the series registry. Auth is off; Slack
 * interactions are on with {@link #SLACK_SECRET}.
 */
final class EdgeServer implements AutoCloseable {

  static final String SLACK_SECRET = "edge-test-signing-secret-0123456789";

  /** What the receivers have changed so far. */
  record State(long points, long incidents, int series, int auditRows) {}

  final SeriesRegistry series = new SeriesRegistry();
  final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  final AtomicLong points = new AtomicLong();
  final Clock clock = Clock.systemUTC();
  private final InProcessTelemetryBus bus;

  /** The bus the receivers publish to, counting what it takes. */
  final TelemetryBus counting;

  final Correlator correlator;
  private final ApiServer server;
  final String base;

  EdgeServer(BodyLimits limits, long maxBodyBytes) {
    bus = new InProcessTelemetryBus(1, 10_000_000, partition -> batch -> {});
    counting = new CountingBus(bus, points);
    AtomicInteger ids = new AtomicInteger();
    correlator =
        new Correlator(
            CorrelationConfig.defaults(),
            incidents,
            () -> "inc-" + ids.incrementAndGet(),
            (incident, first) -> {});
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server =
        new ApiServer(
            new ApiServer.Parts(
                new ServerConfig("127.0.0.1", 0, maxBodyBytes, false, limits),
                clock,
                new ApiServer.Ingest(
                    counting,
                    new JsonPointDecoder(series, clock),
                    series,
                    new LatestValues(),
                    new AnomalyLog(100),
                    Optional.empty()),
                new ApiServer.Incidents(
                    incidents, correlator, new IncidentFeed(), incident -> List.of()),
                ApiServer.Remediation.off(),
                new ApiServer.Accounts(new AuthConfig(false), new NoKeys(), audit),
                new ApiServer.Observed(new PipelineMetrics(meters), meters, Map.of()),
                new ApiServer.Inbound(
                    new NotifyConfig.Slack("", "", "", "", SLACK_SECRET, List.of("U0ALICE=alice")),
                    "",
                    new InMemoryReplayGuard())));
    base = "http://127.0.0.1:" + server.start();
  }

  EdgeServer() {
    this(BodyLimits.defaults(), EndpointFuzzing.LIMIT);
  }

  State state() {
    return new State(
        points.get(),
        incidents.totals().incidents(),
        series.size(),
        audit.find(dev.sentinel.audit.AuditQuery.all(10_000)).size());
  }

  @Override
  public void close() throws Exception {
    server.close();
    bus.close();
  }

  /** Counts the points of every batch the bus takes, on the request's thread. */
  private record CountingBus(TelemetryBus bus, AtomicLong points) implements TelemetryBus {
    @Override
    public boolean tryPublish(int size, java.util.function.Supplier<PointBatch> build) {
      boolean taken = bus.tryPublish(size, build);
      if (taken) {
        points.addAndGet(size);
      }
      return taken;
    }

    @Override
    public void publish(PointBatch batch) throws InterruptedException {
      int size = batch.size();
      bus.publish(batch);
      points.addAndGet(size);
    }

    @Override
    public long queuedPoints() {
      return bus.queuedPoints();
    }

    @Override
    public long capacityPoints() {
      return bus.capacityPoints();
    }

    @Override
    public int partitions() {
      return bus.partitions();
    }

    @Override
    public void close() {}
  }

  /** Auth is off: no key is ever looked up. */
  private static final class NoKeys implements ApiKeyStore {
    @Override
    public CreatedKey create(String name, Role role, String actor) {
      throw new UnsupportedOperationException("auth is off in this test");
    }

    @Override
    public Optional<ApiKey> authenticate(String secret) {
      return Optional.empty();
    }

    @Override
    public List<ApiKey> list() {
      return List.of();
    }

    @Override
    public boolean revoke(String id, String actor) {
      return false;
    }

    @Override
    public boolean hasActiveAdmin() {
      return true;
    }

    @Override
    public ApiKey ensure(String name, Role role, String secret) {
      throw new UnsupportedOperationException("auth is off in this test");
    }
  }
}
