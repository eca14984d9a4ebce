package dev.sentinel.app;

import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.notify.Channels;
import dev.sentinel.app.notify.IncidentAnnouncer;
import dev.sentinel.app.notify.IncidentFeed;
import dev.sentinel.app.notify.NotificationMeters;
import dev.sentinel.app.observe.Health;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.IncidentDesk;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.notify.DeliveryWorker;
import dev.sentinel.notify.Notifications;
import dev.sentinel.notify.Notifier;
import dev.sentinel.postgres.PostgresFiringAlerts;
import dev.sentinel.postgres.PostgresTransactions;
import dev.sentinel.workflow.CaseQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident desk as an assembly: the correlator, the desk thread that writes each decision in
 * one transaction, the narration (timeline, audit, workflow case, outbox, console feed), the
 * delivery worker that sends the outbox, and the sweeper that resolves quiet incidents. Detection
 * hands it anomalies through {@link #desk()}.
 */
final class Triage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Triage.class);

  private final StopOrder stops;
  private final List<Notifier> notifiers;
  private final Notifications notifications;
  private final IncidentFeed feed = new IncidentFeed();
  private final Correlator correlator;
  private final IncidentDesk desk;
  private final Telemetry.DeskLosses losses;
  private final StateStores state;

  private Triage(
      StopOrder stops,
      SentinelConfig config,
      StateStores state,
      SemanticMemory memory,
      PipelineMetrics metrics,
      MeterRegistry meters,
      Clock clock) {
    this.stops = stops;
    this.state = state;
    NotifyConfig notify = config.notifications();
    notifiers = Channels.from(notify, clock);
    notifications = new Notifications(state.outbox(), notifiers, clock);
    if (!notifiers.isEmpty()) {
      DeliveryWorker delivery =
          new DeliveryWorker(
              state.outbox(),
              notifiers,
              notify.retry().policy(),
              state.audit(),
              clock,
              new SplittableRandom(),
              // The lease outlives an attempt's timeout, so no other instance sends it meanwhile.
              Math.max(60_000, 3 * notify.timeoutMillis()),
              500,
              new NotificationMeters(meters, state.outbox()));
      delivery.start();
      stops.add(delivery);
      log.info("notifications: {}", notifiers.stream().map(Notifier::channel).toList());
    }
    IncidentStore incidents = state.incidents();
    Optional<CaseQueue> cases =
        config.remediation().enabled() ? Optional.of(state.cases()) : Optional.empty();
    correlator =
        new Correlator(
            config.incidents(),
            incidents,
            new PostgresFiringAlerts(state.dataSource()),
            Telemetry.incidentIds(clock),
            new IncidentAnnouncer(
                new IncidentNarrator(
                    incidents,
                    state.audit(),
                    metrics,
                    cases,
                    clock,
                    config.remediation().workflow().settleSeconds()),
                notifications,
                feed,
                clock),
            memory.dedup(incidents));
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sentinel-sweeper").daemon(true).factory());
    stops.add(sweeper::shutdownNow);
    sweeper.scheduleWithFixedDelay(() -> sweep(clock), 5, 5, TimeUnit.SECONDS);
    // Each decision is one transaction: attachment, timeline, audit, case and outbox together.
    PostgresTransactions transactions = state.transactions();
    desk =
        stops.add(
            new IncidentDesk(
                    config.incidents().desk(),
                    anomaly -> transactions.inTransaction(() -> correlator.accept(anomaly)),
                    PostgresTransactions::isTransient,
                    clock)
                .start());
    Telemetry.deskMeters(meters, desk);
    losses = new Telemetry.DeskLosses(clock);
    Gauge.builder("sentinel.incidents.open", incidents, store -> store.totals().open())
        .description("Incidents not yet resolved")
        .register(meters);
    Telemetry.incidentGauges(meters, incidents, clock);
  }

  /** Starts the desk, the sweeper and, with channels configured, the delivery worker. */
  static Triage start(
      SentinelConfig config,
      StateStores state,
      SemanticMemory memory,
      PipelineMetrics metrics,
      MeterRegistry meters,
      Clock clock) {
    StopOrder stops = new StopOrder();
    try {
      return new Triage(stops, config, state, memory, metrics, meters, clock);
    } catch (RuntimeException e) {
      stops.close();
      throw e;
    }
  }

  /** Where detection publishes anomalies; never blocks. */
  IncidentDesk desk() {
    return desk;
  }

  /** Where Alertmanager's alerts go, next to the anomalies. */
  Correlator correlator() {
    return correlator;
  }

  IncidentFeed feed() {
    return feed;
  }

  Notifications notifications() {
    return notifications;
  }

  Health deskHealth() {
    return Telemetry.deskHealth(desk, losses);
  }

  Health notificationHealth() {
    return Health.up(Map.of("channels", notifiers.size(), "outbox", state.outbox().counts()));
  }

  private void sweep(Clock clock) {
    try {
      correlator.sweep(clock.millis());
    } catch (RuntimeException e) {
      log.warn("sweeping quiet incidents failed", e);
    }
  }

  @Override
  public void close() {
    stops.stop();
  }
}
