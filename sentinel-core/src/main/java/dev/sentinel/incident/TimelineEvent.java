package dev.sentinel.incident;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry of an incident's timeline: what happened, when, by whom, in a sentence.
 *
 * @param kind a short category: {@code opened}, {@code anomaly}, {@code analysis}, {@code plan},
 *     {@code approval}, {@code action}, {@code verification}, {@code rollback}, {@code resolved},
 *     {@code note}
 */
public record TimelineEvent(
    String incidentId,
    long atMillis,
    String kind,
    String actor,
    String summary,
    Map<String, String> details) {

  public TimelineEvent {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(summary, "summary");
    details = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(details));
  }
}
