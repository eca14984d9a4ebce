package dev.sentinel.app.http;

import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.incident.Alert;
import dev.sentinel.incident.AlertOutcome;
import dev.sentinel.incident.Correlator;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/alerts/alertmanager}: Alertmanager's webhook. Every alert goes to the
 * correlator (firing ones open or join incidents, resolved ones may resolve them); the answer
 * counts what happened to them. A 5xx (the incident store failed) makes Alertmanager retry the
 * whole notification, which is safe: firing re-sends are deduplicated by fingerprint.
 */
final class AlertmanagerEndpoint implements Handler {

  private final Correlator correlator;
  private final PipelineMetrics metrics;
  private final Clock clock;
  private final long maxBodyBytes;

  AlertmanagerEndpoint(
      Correlator correlator, PipelineMetrics metrics, Clock clock, long maxBodyBytes) {
    this.correlator = correlator;
    this.metrics = metrics;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(Context ctx) {
    RequestBodies.Encoding encoding =
        RequestBodies.encoding(ctx, RequestBodies.Encoding.GZIP, RequestBodies.Encoding.IDENTITY);
    List<Alert> alerts =
        AlertmanagerPayload.parse(
            RequestBodies.read(ctx, encoding, maxBodyBytes, "server.bodyLimits.alertmanager"));
    Map<AlertOutcome, Integer> outcomes = new EnumMap<>(AlertOutcome.class);
    for (Alert alert : alerts) {
      AlertOutcome outcome = correlator.accept(alert, clock.millis());
      outcomes.merge(outcome, 1, Integer::sum);
      metrics.alert(alert.firing(), outcome);
    }
    Map<String, Integer> counted = new LinkedHashMap<>();
    outcomes.forEach((outcome, count) -> counted.put(outcome.code(), count));
    ctx.json(Map.of("received", alerts.size(), "outcomes", counted));
  }
}
