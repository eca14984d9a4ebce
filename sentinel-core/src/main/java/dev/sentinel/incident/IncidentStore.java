package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where incidents and their timelines live. Thread-safe; safe across Sentinel instances sharing one
 * store: {@link #attach} is atomic, so two instances seeing anomalies of the same group open one
 * incident between them.
 */
public interface IncidentStore {

  /**
   * Puts an anomaly into its group's incident: the open one if there is one; else the last one,
   * reopened, if it was resolved less than {@code reopenWindowMillis} before the anomaly; else a
   * new incident with an id from {@code newId}.
   */
  Attachment attach(
      String groupKey,
      Map<String, String> groupLabels,
      Anomaly anomaly,
      long reopenWindowMillis,
      int maxAnomaliesKept,
      Supplier<String> newId);

  Optional<Incident> find(String id);

  /**
   * Incidents matching the filter, newest first. A store may leave out the kept anomalies here (an
   * empty list) to keep listings cheap; {@link #find} always has them.
   */
  List<Incident> list(IncidentFilter filter, int limit);

  /**
   * Moves an incident to another status.
   *
   * @param resolution how it ended, when moving to RESOLVED (ignored otherwise)
   * @throws IllegalStateException when the lifecycle forbids the move
   * @throws java.util.NoSuchElementException when there is no such incident
   */
  Incident transition(String id, IncidentStatus to, long atMillis, String resolution);

  /**
   * Changes an incident atomically: {@code change} gets the current incident and returns the new
   * one (its id unchanged), or throws to change nothing. For what people do with an incident:
   * acknowledge, assign, take over, set the severity.
   *
   * @throws java.util.NoSuchElementException when there is no such incident
   */
  Incident update(String id, UnaryOperator<Incident> change);

  /** Appends to an incident's timeline. */
  void record(TimelineEvent event);

  /** An incident's timeline, oldest first. */
  List<TimelineEvent> timeline(String id, int limit);

  /** Totals for reporting noise reduction: anomalies grouped, incidents opened, open now. */
  Totals totals();

  record Totals(long anomalies, long incidents, long open) {}
}
