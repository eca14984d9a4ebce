package dev.sentinel.app.http;

import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.app.config.NotifyConfig;
import dev.sentinel.app.config.ServerConfig;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.notify.IncidentFeed;
import dev.sentinel.app.observe.HealthCheck;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.incident.CorrelationConfig;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.notify.InMemoryReplayGuard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The parts of an {@link ApiServer} on a free local port, with no incidents, workflow or demo. */
final class TestParts {

  private TestParts() {}

  static ApiServer.Parts of(
      TelemetryBus bus,
      Clock clock,
      PrometheusMeterRegistry meters,
      Map<String, HealthCheck> health,
      AuthConfig auth,
      ApiKeyStore keys,
      AuditTrail audit) {
    return of(
        bus, clock, meters, health, auth, keys, audit, new SeriesRegistry(), Optional.empty());
  }

  /** Parts with a telemetry store (or none) and the series registry it is fed from. */
  static ApiServer.Parts of(
      TelemetryBus bus,
      Clock clock,
      PrometheusMeterRegistry meters,
      Map<String, HealthCheck> health,
      AuthConfig auth,
      ApiKeyStore keys,
      AuditTrail audit,
      SeriesRegistry series,
      Optional<TelemetryStore> telemetry) {
    InMemoryIncidentStore incidents = new InMemoryIncidentStore();
    return new ApiServer.Parts(
        new ServerConfig("127.0.0.1", 0, 1024 * 1024),
        clock,
        new ApiServer.Ingest(
            bus,
            new JsonPointDecoder(series, clock),
            series,
            new LatestValues(),
            new AnomalyLog(100),
            telemetry),
        new ApiServer.Incidents(
            incidents,
            new Correlator(
                CorrelationConfig.defaults(),
                incidents,
                () -> "inc-" + UUID.randomUUID(),
                (incident, first) -> {}),
            new IncidentFeed(),
            incident -> List.of()),
        ApiServer.Remediation.off(),
        new ApiServer.Accounts(auth, keys, audit),
        new ApiServer.Observed(new PipelineMetrics(meters), meters, health),
        new ApiServer.Inbound(NotifyConfig.defaults().slack(), "", new InMemoryReplayGuard()));
  }

  /** The same parts with Slack's settings (a signing secret turns the interactions route on). */
  static ApiServer.Parts withSlack(ApiServer.Parts p, NotifyConfig.Slack slack) {
    return new ApiServer.Parts(
        p.server(),
        p.clock(),
        p.ingest(),
        p.incidents(),
        p.remediation(),
        p.accounts(),
        p.observed(),
        new ApiServer.Inbound(slack, p.inbound().pagerDutySecret(), p.inbound().replays()));
  }
}
