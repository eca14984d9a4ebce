package dev.sentinel.app;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.config.StartChecks;
import dev.sentinel.app.http.AdminKeyBootstrap;
import dev.sentinel.app.http.ApiServer;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.observe.BoundedHealthCheck;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.app.observe.Tracing;
import dev.sentinel.postgres.PostgresReplayGuard;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds Sentinel's assemblies from the typed configuration, starts them in
 * order and stops them in reverse. The state stores come first; then the semantic memory, the
 * incident desk ({@link Triage}), the ingest pipeline that feeds it ({@link Ingestion}), {@link
 * Remediation}, and last the HTTP edge ({@link ApiServer}). Each assembly owns its threads.
 */
public final class Sentinel implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sentinel.class);

  private final StopOrder stops = new StopOrder();
  private int port;

  private Sentinel() {}

  /** Builds and starts everything; on failure, stops what was started and rethrows. */
  public static Sentinel start(SentinelConfig config, Clock clock) {
    StartChecks.connectionPool(config);
    Sentinel sentinel = new Sentinel();
    try {
      sentinel.build(config, clock);
      return sentinel;
    } catch (RuntimeException e) {
      sentinel.close();
      throw e;
    }
  }

  private void build(SentinelConfig config, Clock clock) {
    Path dataDir = createDataDir(config.dataDir());
    String instance = "sentinel-" + UUID.randomUUID().toString().substring(0, 8);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Telemetry.bindJvm(meters);
    PipelineMetrics metrics = new PipelineMetrics(meters);
    Tracing tracing = stops.add(Tracing.start(config.observability(), System.getenv(), instance));
    StateStores state = stops.add(StateStores.open(config, dataDir, clock));
    AdminKeyBootstrap.run(
        state.keys(), config.auth().enabled(), System.getenv("SENTINEL_ADMIN_KEY"), System.out);
    SemanticMemory memory = stops.add(SemanticMemory.open(config.memory(), dataDir));
    Triage triage = stops.add(Triage.start(config, state, memory, metrics, meters, clock));
    Ingestion ingestion =
        stops.add(Ingestion.start(config, dataDir, triage.desk(), metrics, meters, clock));
    Remediation remediation =
        stops.add(
            Remediation.start(
                new Remediation.Wiring(
                    config, dataDir, instance, state, ingestion, triage, memory, tracing, meters,
                    clock)));

    Map<String, HealthCheck> health = new LinkedHashMap<>();
    ingestion.addHealth(health);
    health.put("incidentDesk", triage::deskHealth);
    // Checks that reach another server answer within 2 s, or say DOWN: a database outage must not
    // hold the health endpoint for as long as a connection takes to time out.
    health.put("stateStore", new BoundedHealthCheck(state::health, 2_000));
    health.put("dataDir", () -> dataDirHealth(dataDir));
    health.put("notifications", new BoundedHealthCheck(triage::notificationHealth, 2_000));
    health.put("memory", new BoundedHealthCheck(memory::health, 2_000));
    Telemetry.healthGauges(meters, health);
    remediation.demoHealth().ifPresent(demo -> health.put("demo", demo));

    ApiServer api =
        new ApiServer(
            new ApiServer.Parts(
                config.server(),
                clock,
                new ApiServer.Ingest(
                    ingestion.edge(),
                    new JsonPointDecoder(ingestion.registry(), clock),
                    ingestion.registry(),
                    ingestion.latest(),
                    ingestion.anomalies(),
                    ingestion.store()),
                new ApiServer.Incidents(
                    state.incidents(), triage.correlator(), triage.feed(), memory::similar),
                remediation.api(),
                new ApiServer.Accounts(config.auth(), state.keys(), state.audit()),
                new ApiServer.Observed(metrics, meters, health),
                new ApiServer.Inbound(
                    config.notifications().slack(),
                    config.notifications().pagerduty().webhookSecret(),
                    new PostgresReplayGuard(state.dataSource()))));
    this.port = stops.add(api).start();
  }

  public int port() {
    return port;
  }

  private static Path createDataDir(String dataDir) {
    Path path = Path.of(dataDir).toAbsolutePath().normalize();
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + path, e);
    }
    return path;
  }

  private static Health dataDirHealth(Path dataDir) {
    Map<String, Object> details = Map.of("path", dataDir.toString());
    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
      return new Health(Health.Status.DOWN, "the data directory is not writable", details);
    }
    return Health.up(details);
  }

  /**
   * Stops every assembly in the reverse order of start: the HTTP edge, remediation's workers, the
   * Kafka consumer (it commits what it handed on), the bus (it drains into detection), the desk,
   * and so on down to the database.
   */
  @Override
  public void close() {
    if (stops.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    int failed = stops.stop();
    log.info(
        "Sentinel stopped in {} ms{}",
        (System.nanoTime() - started) / 1_000_000,
        failed == 0 ? "" : "; " + failed + " part(s) failed to stop (see above)");
  }
}
