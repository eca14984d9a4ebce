package dev.sentinel.ingest;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The identity of one time series: a metric name and its labels. Labels are kept sorted so that two
 * keys with the same labels in a different order are equal and print the same way.
 */
public record SeriesKey(String name, SortedMap<String, String> labels) {

  public SeriesKey {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("series name must not be blank");
    }
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  public static SeriesKey of(String name, Map<String, String> labels) {
    return new SeriesKey(name, new TreeMap<>(labels));
  }

  public static SeriesKey of(String name) {
    return new SeriesKey(name, new TreeMap<>());
  }

  /** The value of one label, or {@code null} when the series does not carry it. */
  public String label(String label) {
    return labels.get(label);
  }

  /** Prometheus-style text form, e.g. {@code latency_p99_ms{service="api"}}; stable and unique. */
  public String text() {
    return canonical(name, labels);
  }

  /** Builds the canonical text of a key without building the key itself (labels must be sorted). */
  public static String canonical(String name, Map<String, String> sortedLabels) {
    if (sortedLabels.isEmpty()) {
      return name;
    }
    StringBuilder text = new StringBuilder(name.length() + 16 * sortedLabels.size());
    text.append(name).append('{');
    boolean first = true;
    for (Map.Entry<String, String> label : sortedLabels.entrySet()) {
      if (!first) {
        text.append(',');
      }
      first = false;
      appendLabel(text, label.getKey(), label.getValue());
    }
    return text.append('}').toString();
  }

  /**
   * Appends one label in canonical form, {@code name="value"} with the value escaped; the one
   * place that defines how a label prints, shared by every decoder that builds keys.
   */
  public static void appendLabel(StringBuilder text, String label, String value) {
    text.append(label).append("=\"");
    appendEscaped(text, value);
    text.append('"');
  }

  private static void appendEscaped(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"', '\\' -> text.append('\\').append(c);
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return text();
  }
}
