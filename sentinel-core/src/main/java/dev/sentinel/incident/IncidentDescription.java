package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.Direction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An incident in words, for embedding: where (its group's labels) and what moved which way (the
 * distinct metrics of its anomalies, in the order they moved). The where comes first because
 * embedding models read only the first few hundred word pieces. Values and times are left out on
 * purpose: two occurrences of the same fault differ in them, and must still read alike.
 */
public final class IncidentDescription {

  /** More metrics than this add little meaning and push the rest past the model's window. */
  private static final int MAX_METRICS = 12;

  private IncidentDescription() {}

  public static String of(Incident incident) {
    return of(incident.groupLabels(), incident.anomalies());
  }

  public static String of(Map<String, String> groupLabels, List<Anomaly> anomalies) {
    StringBuilder text = new StringBuilder();
    if (groupLabels.isEmpty()) {
      text.append("ungrouped signals");
    }
    for (Map.Entry<String, String> label : new TreeMap<>(groupLabels).entrySet()) {
      text.append(text.isEmpty() ? "" : ", ")
          .append(label.getKey())
          .append(' ')
          .append(label.getValue());
    }
    Set<String> symptoms = new LinkedHashSet<>();
    for (Anomaly anomaly : anomalies) {
      if (symptoms.size() == MAX_METRICS) {
        break;
      }
      symptoms.add(
          words(anomaly.series().name())
              + (anomaly.direction() == Direction.UP ? " above" : " below")
              + " its expected range");
    }
    text.append(": ").append(symptoms.isEmpty() ? "no anomalies" : String.join("; ", symptoms));
    return text.append('.').toString();
  }

  /** {@code memory_used_bytes} reads as "memory used bytes" to a model trained on prose. */
  private static String words(String metric) {
    return metric.replace('_', ' ').replace('.', ' ').replace(':', ' ').strip();
  }
}
