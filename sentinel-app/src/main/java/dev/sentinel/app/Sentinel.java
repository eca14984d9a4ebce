package dev.sentinel.app;

import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.analyse.RuleAnalyst;
import dev.sentinel.analyse.Signature;
import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.app.config.RemediationConfig;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.demo.DemoDriver;
import dev.sentinel.app.demo.SlowExecutor;
import dev.sentinel.app.demo.StandInOnCall;
import dev.sentinel.app.http.AdminKeyBootstrap;
import dev.sentinel.app.http.ApiServer;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.notify.Channels;
import dev.sentinel.app.notify.IncidentAnnouncer;
import dev.sentinel.app.notify.IncidentFeed;
import dev.sentinel.app.notify.NotificationMeters;
import dev.sentinel.app.notify.WorkflowAnnouncer;
import dev.sentinel.app.observe.BoundedHealthCheck;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.app.observe.Tracing;
import dev.sentinel.app.observe.WorkflowTelemetry;
import dev.sentinel.approve.ApprovalPolicy;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.execute.ActionGuard;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorRegistry;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.IncidentDesk;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.llm.ActionPolicy;
import dev.sentinel.notify.DeliveryWorker;
import dev.sentinel.notify.Notifications;
import dev.sentinel.notify.Notifier;
import dev.sentinel.notify.Outbox;
import dev.sentinel.plan.RulePlanner;
import dev.sentinel.postgres.JdbcCheckpointSaver;
import dev.sentinel.postgres.PostgresActionJournal;
import dev.sentinel.postgres.PostgresApiKeyStore;
import dev.sentinel.postgres.PostgresAuditTrail;
import dev.sentinel.postgres.PostgresCaseQueue;
import dev.sentinel.postgres.PostgresDatabase;
import dev.sentinel.postgres.PostgresFiringAlerts;
import dev.sentinel.postgres.PostgresIncidentStore;
import dev.sentinel.postgres.PostgresLessonBook;
import dev.sentinel.postgres.PostgresOutbox;
import dev.sentinel.postgres.PostgresReplayGuard;
import dev.sentinel.postgres.PostgresTransactions;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.FleetStateFile;
import dev.sentinel.simulator.SimulatorExecutor;
import dev.sentinel.verify.Verifier;
import dev.sentinel.workflow.Approvals;
import dev.sentinel.workflow.CaseQueue;
import dev.sentinel.workflow.CaseState;
import dev.sentinel.workflow.IncidentWorkflow;
import dev.sentinel.workflow.WorkflowParts;
import dev.sentinel.workflow.WorkflowRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of Sentinel with {@code new} from the typed
 * configuration, starts them in order and stops them in reverse. Adding a part is a line here.
 */
public final class Sentinel implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sentinel.class);

  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private int port;

  private Sentinel() {}

  /** Builds and starts everything; on failure, stops what was started and rethrows. */
  public static Sentinel start(SentinelConfig config, Clock clock) {
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
    Tracing tracing = Tracing.start(config.observability(), System.getenv(), instance);
    closeInReverse.add(tracing);

    PostgresDatabase database = PostgresDatabase.open(config.state(), dataDir);
    closeInReverse.add(database);
    log.info("state store: {}", database.description());
    // One data source for every adapter: it joins the desk's transaction when one is open.
    PostgresTransactions transactions = new PostgresTransactions(database.dataSource());
    DataSource state = transactions.dataSource();
    AuditTrail audit = new PostgresAuditTrail(state, database.secrets());
    IncidentStore incidents = new PostgresIncidentStore(state);
    ApiKeyStore keys = new PostgresApiKeyStore(state, audit, clock, database.secrets().keyHasher());
    AdminKeyBootstrap.run(
        keys, config.auth().enabled(), System.getenv("SENTINEL_ADMIN_KEY"), System.out);

    SeriesRegistry registry = new SeriesRegistry();
    AnomalyLog anomalies = new AnomalyLog(10_000);
    LatestValues latest = new LatestValues();
    RemediationConfig remediation = config.remediation();
    CaseQueue cases = new PostgresCaseQueue(state, clock, remediation.workflow().leaseMillis());
    IncidentFeed feed = new IncidentFeed();
    Outbox outbox = new PostgresOutbox(state);
    List<Notifier> notifiers = Channels.from(config.notifications(), clock);
    Notifications notifications = new Notifications(outbox, notifiers, clock);
    if (!notifiers.isEmpty()) {
      NotifyConfig notify = config.notifications();
      DeliveryWorker delivery =
          new DeliveryWorker(
              outbox,
              notifiers,
              notify.retry().policy(),
              audit,
              clock,
              new SplittableRandom(),
              // The lease outlives an attempt's timeout, so no other instance sends it meanwhile.
              Math.max(60_000, 3 * notify.timeoutMillis()),
              500,
              new NotificationMeters(meters, outbox));
      delivery.start();
      closeInReverse.add(delivery);
      log.info("notifications: {}", notifiers.stream().map(Notifier::channel).toList());
    }
    SemanticMemory memory = SemanticMemory.open(config.memory(), dataDir);
    closeInReverse.add(memory);
    Correlator correlator =
        new Correlator(
            config.incidents(),
            incidents,
            new PostgresFiringAlerts(state),
            Telemetry.incidentIds(clock),
            new IncidentAnnouncer(
                new IncidentNarrator(
                    incidents,
                    audit,
                    metrics,
                    remediation.enabled() ? cases : null,
                    clock,
                    remediation.workflow().settleSeconds()),
                notifications,
                feed,
                clock),
            memory.dedup(incidents));

    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sentinel-timer").daemon(true).factory());
    closeInReverse.add(timers::shutdownNow);
    timers.scheduleWithFixedDelay(() -> sweep(correlator, clock), 5, 5, TimeUnit.SECONDS);
    config
        .audit()
        .cutoffMillis(clock.millis())
        .ifPresent(
            cutoff ->
                timers.scheduleWithFixedDelay(
                    () -> prune(audit, config.audit().cutoffMillis(clock.millis()).orElse(0)),
                    1,
                    24 * 60,
                    TimeUnit.MINUTES));

    TelemetryHistory history =
        TelemetryHistory.open(config.telemetry(), dataDir, registry, clock, timers, meters);
    closeInReverse.add(history);
    log.info("telemetry store: {}", history.description());

    // Each decision is one transaction: attachment, timeline, audit, case and outbox together.
    IncidentDesk desk =
        new IncidentDesk(
                config.incidents().desk(),
                anomaly -> transactions.inTransaction(() -> correlator.accept(anomaly)),
                PostgresTransactions::isTransient,
                clock)
            .start();
    closeInReverse.add(desk);
    Telemetry.deskMeters(meters, desk);
    DetectionPipeline pipeline =
        new DetectionPipeline(
            config.bus(),
            config.detection(),
            registry,
            latest,
            history::offer,
            anomalies,
            desk,
            metrics);
    closeInReverse.add(pipeline);
    InProcessTelemetryBus bus = pipeline.bus();
    DetectionEngine[] engines = pipeline.engines();
    Telemetry.busGauges(meters, pipeline);
    // Every producer of points — the HTTP edges, the demo, the Kafka consumer — goes through
    // the history's back-pressure, so that a slow store slows ingest down instead of losing
    // history (for Kafka: paused partitions, the backlog waiting in the topic).
    TelemetryBus guarded = history.edge(bus, config.telemetry());
    KafkaBus kafka = null;
    if (config.bus().usesKafka()) {
      kafka = KafkaBus.start(config.bus(), guarded, engines, history, registry, clock, meters);
      closeInReverse.add(kafka);
      log.info(
          "telemetry bus: Kafka topic '{}' as group '{}'{}",
          config.bus().kafka().topic(),
          config.bus().kafka().groupId(),
          config.bus().kafka().publishHttp() ? ", HTTP edges publish to it" : "");
    }
    TelemetryBus edge = kafka == null ? guarded : kafka.edge(guarded);
    Gauge.builder("sentinel.incidents.open", incidents, store -> store.totals().open())
        .description("Incidents not yet resolved")
        .register(meters);
    Telemetry.incidentGauges(meters, incidents, clock);

    Map<String, Executor> executors = new LinkedHashMap<>();
    Fleet fleet = null;
    DemoDriver demo = null;
    StandInOnCall onCall = null;
    if (config.demo().enabled()) {
      fleet = Fleet.demo(config.demo().seed());
      for (String pair : config.demo().defectiveVersions()) {
        int split = pair.indexOf(':');
        fleet.markDefective(pair.substring(0, split), pair.substring(split + 1));
      }
      SimulatorExecutor simulator =
          SimulatorExecutor.open(
              fleet, new FleetStateFile(dataDir.resolve("simulator.state")), clock);
      executors.put(
          simulator.platform(),
          config.demo().actionDelayMillis() > 0
              ? new SlowExecutor(simulator, config.demo().actionDelayMillis())
              : simulator);
      onCall = new StandInOnCall(incidents, audit, clock);
      demo =
          new DemoDriver(
              config.demo(), clock, registry, edge, timers, fleet, simulator, onCall, desk);
    }

    PlatformExecutors.build(remediation.executors(), closeInReverse)
        .forEach(executor -> executors.put(executor.platform(), executor));

    Approvals approvals = null;
    Function<String, Optional<CaseState>> workflowState = id -> Optional.empty();
    if (remediation.enabled()) {
      LessonBook lessons = memory.lessons(new PostgresLessonBook(state), incidents);
      JdbcCheckpointSaver saver = new JdbcCheckpointSaver(state);
      Executor acting = executors.get(remediation.platform());
      LlmReasoning reasoning =
          LlmReasoning.wire(
              config.llm(),
              System.getenv(),
              memory.analyst(new RuleAnalyst(Signature.defaults(), history.context())),
              new RulePlanner(
                  remediation.playbook(),
                  lessons,
                  remediation.platform(),
                  remediation.scope(),
                  remediation.resource()),
              ActionPolicy.allowList(
                  remediation.platform(),
                  acting == null ? Set.of() : acting.operations(),
                  config.llm().allowedTargets()),
              remediation.playbook(),
              history.store().orElse(null),
              history.context(),
              memory.knowledge(),
              meters,
              clock);
      WorkflowParts parts =
          new WorkflowParts(
              remediation.workflow(),
              incidents,
              audit,
              anomalies,
              reasoning.analyst(),
              reasoning.planner(),
              Telemetry.breakerGauge(meters, new ApprovalPolicy(remediation.approval())),
              new ActionGuard(new ExecutorRegistry(executors.values()), remediation.safety()),
              new PostgresActionJournal(state),
              // In a fleet the instance running the workflow may not receive the incident's
              // series: it reads their latest values from the shared store.
              new Verifier(
                  remediation.verify(),
                  anomalies,
                  latest,
                  registry,
                  history.store().orElse(null),
                  clock,
                  Thread::sleep),
              lessons,
              clock,
              new WorkflowTelemetry(
                  new WorkflowAnnouncer(new WorkflowNarrator(), notifications, feed, clock),
                  tracing,
                  meters));
      IncidentWorkflow workflow = new IncidentWorkflow(parts, saver, remediation.platform());
      WorkflowRunner runner =
          new WorkflowRunner(workflow, cases, saver, remediation.workflow(), instance);
      approvals = new Approvals(runner, cases, workflow);
      if (onCall != null) {
        onCall.approveWith(approvals);
      }
      workflowState =
          id -> {
            int run = cases.currentRun(id);
            return run == 0 ? Optional.empty() : runner.state(id, run);
          };
      runner.start();
      closeInReverse.add(runner);
    }

    Map<String, HealthCheck> health = new LinkedHashMap<>();
    health.put("bus", () -> Telemetry.busHealth(bus));
    health.put("detection", pipeline::health);
    Telemetry.DeskLosses deskLosses = new Telemetry.DeskLosses(clock);
    health.put("incidentDesk", () -> Telemetry.deskHealth(desk, deskLosses));
    // Checks that reach another server answer within 2 s, or say DOWN: a database outage must not
    // hold the health endpoint for as long as a connection takes to time out.
    health.put("stateStore", new BoundedHealthCheck(() -> stateHealth(database), 2_000));
    health.put("telemetryStore", new BoundedHealthCheck(history::health, 2_000));
    if (kafka != null) {
      health.put("kafka", new BoundedHealthCheck(kafka::health, 2_000));
    }
    health.put("dataDir", () -> dataDirHealth(dataDir));
    health.put(
        "notifications",
        new BoundedHealthCheck(
            () -> Health.up(Map.of("channels", notifiers.size(), "outbox", outbox.counts())),
            2_000));
    health.put("memory", new BoundedHealthCheck(memory::health, 2_000));
    Telemetry.healthGauges(meters, health);
    if (demo != null) {
      health.put("demo", demo::health);
      demo.start();
      closeInReverse.add(demo);
    }

    ApiServer api =
        new ApiServer(
            new ApiServer.Parts(
                config.server(),
                clock,
                edge,
                new JsonPointDecoder(registry, clock),
                registry,
                latest,
                anomalies,
                incidents,
                metrics,
                meters,
                health,
                config.auth(),
                keys,
                audit,
                workflowState,
                approvals,
                fleet,
                demo,
                history.store().orElse(null),
                correlator,
                feed,
                config.notifications().slack(),
                new PostgresReplayGuard(state),
                memory::similar));
    closeInReverse.add(api);
    this.port = api.start();
  }

  public int port() {
    return port;
  }

  private static void sweep(Correlator correlator, Clock clock) {
    try {
      correlator.sweep(clock.millis());
    } catch (RuntimeException e) {
      log.warn("sweeping quiet incidents failed", e);
    }
  }

  private static void prune(AuditTrail audit, long cutoffMillis) {
    try {
      long removed = audit.pruneBefore(cutoffMillis, "retention");
      if (removed > 0) {
        log.info(
            "audit retention removed {} entries older than {}",
            removed,
            java.time.Instant.ofEpochMilli(cutoffMillis));
      }
    } catch (RuntimeException e) {
      log.warn("audit retention failed", e);
    }
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

  private static Health stateHealth(PostgresDatabase database) {
    Map<String, Object> details = Map.of("store", database.description());
    try (var connection = database.dataSource().getConnection()) {
      return connection.isValid(2)
          ? Health.up(details)
          : new Health(Health.Status.DOWN, "the state store does not answer", details);
    } catch (java.sql.SQLException e) {
      return new Health(
          Health.Status.DOWN, "the state store is unreachable: " + e.getMessage(), details);
    }
  }

  private static Health dataDirHealth(Path dataDir) {
    Map<String, Object> details = Map.of("path", dataDir.toString());
    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
      return new Health(Health.Status.DOWN, "the data directory is not writable", details);
    }
    return Health.up(details);
  }

  /**
   * Stops every part in the reverse order of start: the Kafka consumer commits what it handed on,
   * the bus drains into detection, the telemetry writer flushes, and so on down to the database.
   */
  @Override
  public void close() {
    if (closeInReverse.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    int failed = 0;
    for (AutoCloseable part : closeInReverse.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        failed++;
        log.warn("stopping {} failed", part, e);
      }
    }
    closeInReverse.clear();
    log.info(
        "Sentinel stopped in {} ms{}",
        (System.nanoTime() - started) / 1_000_000,
        failed == 0 ? "" : "; " + failed + " part(s) failed to stop (see above)");
  }
}
