package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalySink;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups anomalies into incidents by shared labels: an anomaly joins the open incident of its
 * group; a group whose incident was resolved moments ago reopens it (a flapping series does not
 * open an incident per flap); otherwise a new incident opens.
 *
 * <p>Time is the anomalies' own timestamps (and the caller's clock for {@link #sweep}), so replays
 * and tests are deterministic. Thread-safe: partitions call {@link #accept} concurrently, and the
 * store makes each attachment atomic.
 */
public final class Correlator implements AnomalySink {

  private static final Logger log = LoggerFactory.getLogger(Correlator.class);

  private final CorrelationConfig config;
  private final IncidentStore store;
  private final Supplier<String> ids;
  private final IncidentListener listener;

  public Correlator(
      CorrelationConfig config,
      IncidentStore store,
      Supplier<String> ids,
      IncidentListener listener) {
    this.config = config;
    this.store = store;
    this.ids = ids;
    this.listener = listener;
  }

  @Override
  public void accept(Anomaly anomaly) {
    Map<String, String> group = groupLabels(anomaly);
    String groupKey = group.isEmpty() ? anomaly.series().name() : group.toString();
    Attachment attachment;
    try {
      attachment =
          store.attach(
              groupKey,
              group,
              anomaly,
              config.windowSeconds() * 1000,
              config.maxAnomaliesKept(),
              ids);
    } catch (RuntimeException e) {
      // The anomaly stays in the anomaly log; the incident store is what failed.
      log.error("could not attach an anomaly of {} to an incident", anomaly.series(), e);
      return;
    }
    Incident incident = attachment.incident();
    switch (attachment.outcome()) {
      case OPENED -> listener.opened(incident, anomaly);
      case REOPENED -> listener.reopened(incident, anomaly);
      case ATTACHED -> listener.attached(incident, anomaly, attachment.newSeries());
    }
  }

  /**
   * Resolves incidents that nobody is working on (still OPEN) and that have had no anomaly for
   * the configured quiet time: the problem went away by itself.
   */
  public void sweep(long nowMillis) {
    long quietMillis = config.quietResolveSeconds() * 1000;
    IncidentFilter untouched =
        new IncidentFilter(EnumSet.of(IncidentStatus.OPEN), null, null, null, null);
    for (Incident incident : store.list(untouched, 1000)) {
      if (nowMillis - incident.lastAnomalyAtMillis() < quietMillis) {
        continue;
      }
      try {
        Incident resolved =
            store.transition(
                incident.id(),
                IncidentStatus.RESOLVED,
                nowMillis,
                "recovered without action: no anomaly for " + config.quietResolveSeconds() + " s");
        listener.resolved(resolved);
      } catch (IllegalStateException e) {
        // Another instance or the workflow moved it meanwhile: nothing to do.
        log.debug("incident {} changed while being swept: {}", incident.id(), e.getMessage());
      }
    }
  }

  private Map<String, String> groupLabels(Anomaly anomaly) {
    Map<String, String> group = new TreeMap<>();
    for (String label : config.groupBy()) {
      String value = anomaly.series().label(label);
      if (value != null) {
        group.put(label, value);
      }
    }
    return group;
  }
}
