package dev.sentinel.app.observe;

import dev.sentinel.incident.AlertOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of the ingest and detection path, created once so the hot path only increments. Names
 * follow Prometheus conventions once exported ({@code sentinel_ingest_points_total}).
 */
public final class PipelineMetrics {

  public final Counter pointsAccepted;
  public final Counter pointsRejectedInvalid;
  public final Counter pointsRejectedFull;
  public final Counter requestsRejectedFull;
  public final Counter pointsSkippedStale;
  public final Counter pointsSkippedNonFinite;
  public final Counter pointsSkippedUnsupported;
  public final Counter pointsDetected;
  public final Counter anomalies;
  public final Counter incidentsOpened;
  public final Counter incidentsDeduplicated;
  public final Timer batchDetection;
  private final MeterRegistry registry;

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    pointsAccepted =
        Counter.builder("sentinel.ingest.points")
            .description("Points accepted at the edge and handed to detection")
            .register(registry);
    pointsRejectedInvalid =
        Counter.builder("sentinel.ingest.rejected.points")
            .tag("reason", "invalid")
            .description("Points refused at the edge, by reason")
            .register(registry);
    pointsRejectedFull =
        Counter.builder("sentinel.ingest.rejected.points")
            .tag("reason", "backpressure")
            .description("Points refused at the edge, by reason")
            .register(registry);
    requestsRejectedFull =
        Counter.builder("sentinel.ingest.backpressure.requests")
            .description("Ingest requests answered 429 because the pipeline was full")
            .register(registry);
    pointsSkippedStale = skipped(registry, "stale");
    pointsSkippedNonFinite = skipped(registry, "nonfinite");
    pointsSkippedUnsupported = skipped(registry, "unsupported");
    pointsDetected =
        Counter.builder("sentinel.detect.points")
            .description("Points run through the detectors")
            .register(registry);
    anomalies =
        Counter.builder("sentinel.detect.anomalies")
            .description("Anomalous points found by the detectors")
            .register(registry);
    incidentsOpened =
        Counter.builder("sentinel.incidents.opened")
            .description("Incidents opened by the correlator")
            .register(registry);
    incidentsDeduplicated =
        Counter.builder("sentinel.incidents.deduplicated")
            .description(
                "Anomaly groups joined to an open incident by meaning instead of opening one")
            .register(registry);
    batchDetection =
        Timer.builder("sentinel.detect.batch.duration")
            .description("Time to run one batch of points through one partition's detectors")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
  }

  /** One alert from Alertmanager and what the correlator made of it. */
  public void alert(boolean firing, AlertOutcome outcome) {
    Counter.builder("sentinel.alerts.received")
        .description("Alerts received from Alertmanager, by status and what became of them")
        .tag("status", firing ? "firing" : "resolved")
        .tag("outcome", outcome.code())
        .register(registry)
        .increment();
  }

  /**
   * One HTTP request, by its route template (never the raw path, which would make a series per
   * incident id) and status: what the rules on ingest 429s and 503s read.
   */
  public void request(String method, String route, int status, long nanos) {
    Timer.builder("sentinel.http.requests")
        .description("HTTP requests served, by method, route and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Samples a receiver left out without refusing them: Prometheus staleness markers, NaN and
   * infinite values (and OTLP points with no recorded value), native histograms.
   */
  private static Counter skipped(MeterRegistry registry, String reason) {
    return Counter.builder("sentinel.ingest.skipped.points")
        .tag("reason", reason)
        .description("Samples received but not turned into points, by reason")
        .register(registry);
  }
}
