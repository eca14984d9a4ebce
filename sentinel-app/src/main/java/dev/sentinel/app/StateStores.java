package dev.sentinel.app;

import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.app.config.AuditConfig;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.notify.Outbox;
import dev.sentinel.postgres.PostgresApiKeyStore;
import dev.sentinel.postgres.PostgresAuditTrail;
import dev.sentinel.postgres.PostgresCaseQueue;
import dev.sentinel.postgres.PostgresDatabase;
import dev.sentinel.postgres.PostgresIncidentStore;
import dev.sentinel.postgres.PostgresOutbox;
import dev.sentinel.postgres.PostgresTransactions;
import dev.sentinel.workflow.CaseQueue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store, PostgreSQL, and the stores every assembly shares on it: incidents, the audit
 * trail, API keys, workflow cases and the notification outbox. Opened first and closed last. With
 * {@code audit.retentionDays}, a thread of its own prunes the audit trail once a day.
 */
final class StateStores implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StateStores.class);

  private final StopOrder stops;
  private final PostgresDatabase database;
  private final PostgresTransactions transactions;
  private final AuditTrail audit;
  private final IncidentStore incidents;
  private final ApiKeyStore keys;
  private final CaseQueue cases;
  private final Outbox outbox;

  private StateStores(StopOrder stops, SentinelConfig config, Path dataDir, Clock clock) {
    this.stops = stops;
    database = stops.add(PostgresDatabase.open(config.state(), dataDir));
    log.info("state store: {}", database.description());
    // One data source for every adapter: it joins the desk's transaction when one is open.
    transactions = new PostgresTransactions(database.dataSource());
    DataSource state = transactions.dataSource();
    audit = new PostgresAuditTrail(state, database.secrets());
    incidents = new PostgresIncidentStore(state);
    keys = new PostgresApiKeyStore(state, audit, clock, database.secrets().keyHasher());
    cases = new PostgresCaseQueue(state, clock, config.remediation().workflow().leaseMillis());
    outbox = new PostgresOutbox(state);
    AuditConfig retention = config.audit();
    if (retention.cutoffMillis(clock.millis()).isPresent()) {
      ScheduledExecutorService pruning =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("sentinel-audit-retention").daemon(true).factory());
      stops.add(pruning::shutdownNow);
      pruning.scheduleWithFixedDelay(
          () -> prune(retention.cutoffMillis(clock.millis()).orElse(0)),
          1,
          24 * 60,
          TimeUnit.MINUTES);
    }
  }

  /** Opens (or starts the bundled) database and migrates it; on failure closes what it opened. */
  static StateStores open(SentinelConfig config, Path dataDir, Clock clock) {
    StopOrder stops = new StopOrder();
    try {
      return new StateStores(stops, config, dataDir, clock);
    } catch (RuntimeException e) {
      stops.close();
      throw e;
    }
  }

  /** The data source every adapter writes through; it joins an open desk transaction. */
  DataSource dataSource() {
    return transactions.dataSource();
  }

  PostgresTransactions transactions() {
    return transactions;
  }

  AuditTrail audit() {
    return audit;
  }

  IncidentStore incidents() {
    return incidents;
  }

  ApiKeyStore keys() {
    return keys;
  }

  CaseQueue cases() {
    return cases;
  }

  Outbox outbox() {
    return outbox;
  }

  /** UP when a connection answers within 2 s. */
  Health health() {
    Map<String, Object> details = Map.of("store", database.description());
    try (Connection connection = database.dataSource().getConnection()) {
      return connection.isValid(2)
          ? Health.up(details)
          : new Health(Health.Status.DOWN, "the state store does not answer", details);
    } catch (SQLException e) {
      return new Health(
          Health.Status.DOWN, "the state store is unreachable: " + e.getMessage(), details);
    }
  }

  private void prune(long cutoffMillis) {
    try {
      long removed = audit.pruneBefore(cutoffMillis, "retention");
      if (removed > 0) {
        log.info(
            "audit retention removed {} entries older than {}",
            removed,
            Instant.ofEpochMilli(cutoffMillis));
      }
    } catch (RuntimeException e) {
      log.warn("audit retention failed", e);
    }
  }

  @Override
  public void close() {
    stops.stop();
  }
}
