package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalySink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Groups anomalies into incidents by shared labels and a time window: an anomaly that belongs to
 * an open incident's group and arrives within the window joins it instead of opening another.
 *
 * <p>Time is the anomalies' own timestamps (and the caller's clock for {@link #sweep}), so replays
 * and tests are deterministic. Thread-safe: one lock; partitions call {@link #accept}.
 */
public final class Correlator implements AnomalySink {

  private final CorrelationConfig config;
  private final Supplier<String> ids;
  private final IncidentListener listener;
  private final Map<String, Tracked> openByGroup = new HashMap<>();
  private final Map<String, Tracked> byId = new LinkedHashMap<>();
  private long anomaliesSeen;

  public Correlator(CorrelationConfig config, Supplier<String> ids, IncidentListener listener) {
    this.config = config;
    this.ids = ids;
    this.listener = listener;
  }

  @Override
  public synchronized void accept(Anomaly anomaly) {
    anomaliesSeen++;
    Map<String, String> group = groupLabels(anomaly);
    String groupKey = group.isEmpty() ? anomaly.series().name() : group.toString();
    Tracked open = openByGroup.get(groupKey);
    long windowMillis = config.windowSeconds() * 1000;
    if (open != null && anomaly.timestampMillis() - open.lastAnomalyAt <= windowMillis) {
      open.add(anomaly, config.maxAnomaliesKept());
      listener.attached(open.snapshot(), anomaly);
      return;
    }
    if (open != null) {
      resolve(open, open.lastAnomalyAt);
    }
    Tracked opened = new Tracked(ids.get(), groupKey, group, anomaly.timestampMillis());
    opened.add(anomaly, config.maxAnomaliesKept());
    openByGroup.put(groupKey, opened);
    byId.put(opened.id, opened);
    listener.opened(opened.snapshot(), anomaly);
  }

  /** Resolves open incidents that have been quiet for the configured time before {@code now}. */
  public synchronized void sweep(long nowMillis) {
    long quietMillis = config.quietResolveSeconds() * 1000;
    for (Tracked open : List.copyOf(openByGroup.values())) {
      if (nowMillis - open.lastAnomalyAt >= quietMillis) {
        resolve(open, nowMillis);
      }
    }
  }

  private void resolve(Tracked incident, long atMillis) {
    incident.status.checkTransition(IncidentStatus.RESOLVED);
    incident.status = IncidentStatus.RESOLVED;
    incident.resolvedAt = atMillis;
    openByGroup.remove(incident.groupKey);
    listener.resolved(incident.snapshot());
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

  /** Incidents matching the filter, newest first, at most {@code limit}. */
  public synchronized List<Incident> list(Predicate<Incident> filter, int limit) {
    List<Incident> result = new ArrayList<>();
    List<Tracked> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong((Tracked t) -> t.openedAt).reversed());
    for (Tracked tracked : all) {
      Incident incident = tracked.snapshot();
      if (filter.test(incident)) {
        result.add(incident);
        if (result.size() == limit) {
          break;
        }
      }
    }
    return result;
  }

  public synchronized Optional<Incident> find(String id) {
    return Optional.ofNullable(byId.get(id)).map(Tracked::snapshot);
  }

  public synchronized long anomaliesSeen() {
    return anomaliesSeen;
  }

  public synchronized int incidentsOpened() {
    return byId.size();
  }

  public synchronized int openCount() {
    return openByGroup.size();
  }

  /** The mutable state of one incident, only touched under the correlator's lock. */
  private static final class Tracked {
    final String id;
    final String groupKey;
    final Map<String, String> groupLabels;
    final long openedAt;
    final List<Anomaly> anomalies = new ArrayList<>();
    final Set<String> series = new LinkedHashSet<>();
    IncidentStatus status = IncidentStatus.OPEN;
    long lastAnomalyAt;
    long resolvedAt;
    int count;
    double maxScore;
    double maxConfidence;

    Tracked(String id, String groupKey, Map<String, String> groupLabels, long openedAt) {
      this.id = id;
      this.groupKey = groupKey;
      this.groupLabels = groupLabels;
      this.openedAt = openedAt;
      this.lastAnomalyAt = openedAt;
    }

    void add(Anomaly anomaly, int keep) {
      count++;
      lastAnomalyAt = Math.max(lastAnomalyAt, anomaly.timestampMillis());
      maxScore = Math.max(maxScore, anomaly.score());
      maxConfidence = Math.max(maxConfidence, anomaly.confidence());
      series.add(anomaly.series().text());
      if (anomalies.size() < keep) {
        anomalies.add(anomaly);
      }
    }

    Incident snapshot() {
      return new Incident(
          id,
          groupKey,
          groupLabels,
          status,
          Severity.of(maxScore, maxConfidence, series.size()),
          openedAt,
          lastAnomalyAt,
          resolvedAt,
          count,
          series,
          anomalies);
    }
  }
}
