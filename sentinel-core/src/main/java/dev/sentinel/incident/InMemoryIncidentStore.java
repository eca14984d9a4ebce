package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Incidents in memory: for tests, and for running without a state store. One lock; the same
 * grouping rules as every other store (see {@link IncidentStore#attach}).
 */
public final class InMemoryIncidentStore implements IncidentStore {

  private final Map<String, Incident> byId = new LinkedHashMap<>();
  private final Map<String, String> latestByGroup = new HashMap<>();
  private final Map<String, List<TimelineEvent>> timelines = new HashMap<>();
  private long anomalies;

  @Override
  public synchronized Attachment attach(
      String groupKey,
      Map<String, String> groupLabels,
      Anomaly anomaly,
      long reopenWindowMillis,
      int maxAnomaliesKept,
      Supplier<String> newId) {
    anomalies++;
    Incident latest = Optional.ofNullable(latestByGroup.get(groupKey)).map(byId::get).orElse(null);
    Attachment.Outcome outcome;
    Incident base;
    if (latest != null && latest.status().isOpen()) {
      outcome = Attachment.Outcome.ATTACHED;
      base = latest;
    } else if (latest != null && Incidents.flaps(latest, anomaly, reopenWindowMillis)) {
      outcome = Attachment.Outcome.REOPENED;
      base = Incidents.reopened(latest);
    } else {
      outcome = Attachment.Outcome.OPENED;
      base = Incidents.opened(newId.get(), groupKey, groupLabels, anomaly);
      latestByGroup.put(groupKey, base.id());
    }
    boolean newSeries = !base.series().contains(anomaly.series().text());
    Incident updated =
        outcome == Attachment.Outcome.OPENED
            ? base
            : Incidents.with(base, anomaly, maxAnomaliesKept);
    byId.put(updated.id(), updated);
    return new Attachment(updated, outcome, outcome == Attachment.Outcome.OPENED || newSeries);
  }

  @Override
  public synchronized Optional<Incident> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized List<Incident> list(IncidentFilter filter, int limit) {
    return byId.values().stream()
        .filter(filter::matches)
        .sorted(Comparator.comparingLong(Incident::openedAtMillis).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Incident update(String id, UnaryOperator<Incident> change) {
    Incident incident = byId.get(id);
    if (incident == null) {
      throw new NoSuchElementException("no incident with id '" + id + "'");
    }
    Incident changed = change.apply(incident);
    if (!changed.id().equals(id)) {
      throw new IllegalArgumentException("an update may not change the incident's id");
    }
    byId.put(id, changed);
    return changed;
  }

  @Override
  public synchronized Incident transition(
      String id, IncidentStatus to, long atMillis, String resolution) {
    Incident incident = byId.get(id);
    if (incident == null) {
      throw new NoSuchElementException("no incident with id '" + id + "'");
    }
    incident.status().checkTransition(to);
    Incident moved = Incidents.moved(incident, to, atMillis, resolution);
    byId.put(id, moved);
    return moved;
  }

  @Override
  public synchronized void record(TimelineEvent event) {
    timelines.computeIfAbsent(event.incidentId(), id -> new ArrayList<>()).add(event);
  }

  @Override
  public synchronized List<TimelineEvent> timeline(String id, int limit) {
    List<TimelineEvent> events = timelines.getOrDefault(id, List.of());
    return List.copyOf(events.subList(0, Math.min(limit, events.size())));
  }

  @Override
  public synchronized Totals totals() {
    long open = byId.values().stream().filter(incident -> incident.status().isOpen()).count();
    return new Totals(anomalies, byId.size(), open);
  }
}
