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
   * Appends one label in canonical form, {@code name="value"} with the value escaped; the one place
   * that defines how a label prints, shared by every decoder that builds keys.
   */
  public static void appendLabel(StringBuilder text, String label, String value) {
    text.append(label).append("=\"");
    appendEscaped(text, value);
    text.append('"');
  }

  /**
   * Reads a canonical text back into a key: the inverse of {@link #text()} for every key whose name
   * has no <code>{</code> and whose label names have none of <code>= " , }</code> (Prometheus names
   * never do). For other keys the text is ambiguous, and the result may be another key, which a
   * caller that must be exact detects by comparing (see {@link SeriesRegistry}).
   *
   * @throws IllegalArgumentException when the text is not in canonical form
   */
  static SeriesKey parse(String text) {
    int open = text.indexOf('{');
    int end = text.length() - 1;
    if (open < 0 || text.charAt(end) != '}') {
      return new SeriesKey(text, new TreeMap<>());
    }
    TreeMap<String, String> labels = new TreeMap<>();
    StringBuilder value = new StringBuilder();
    int at = open + 1;
    while (at < end) {
      int equals = text.indexOf("=\"", at);
      if (equals < 0) {
        throw notCanonical(text);
      }
      value.setLength(0);
      int quote = unescape(text, equals + 2, end, value);
      labels.put(text.substring(at, equals), value.toString());
      at = quote + 1;
      if (at < end) {
        if (text.charAt(at) != ',') {
          throw notCanonical(text);
        }
        at++;
      }
    }
    return new SeriesKey(text.substring(0, open), labels);
  }

  /** Appends the value starting at {@code from}, unescaped; returns its closing quote's index. */
  private static int unescape(String text, int from, int end, StringBuilder value) {
    for (int i = from; i < end; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i + 1 < end) {
        i++;
        char escaped = text.charAt(i);
        value.append(escaped == 'n' ? '\n' : escaped);
      } else {
        value.append(c);
      }
    }
    throw notCanonical(text);
  }

  private static IllegalArgumentException notCanonical(String text) {
    return new IllegalArgumentException("not a canonical series key: " + text);
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
