package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.Direction;
import dev.sentinel.ingest.SeriesKey;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An alert raised by someone else's rule (Alertmanager), as the correlation stage sees it: a signal
 * that joins incidents next to the detectors' anomalies.
 *
 * @param fingerprint the sender's identity of the alert (its labels' hash); re-sends share it
 * @param firing true while the alert fires, false once the sender says it resolved
 * @param labels the alert's labels, {@code alertname} among them
 * @param annotations the alert's annotations ({@code summary}, {@code description}, ...)
 * @param startsAtMillis when it began firing, epoch milliseconds
 * @param endsAtMillis when it resolved, or 0 while it fires
 */
public record Alert(
    String fingerprint,
    boolean firing,
    Map<String, String> labels,
    Map<String, String> annotations,
    long startsAtMillis,
    long endsAtMillis,
    String generatorUrl) {

  /** The series name alert signals carry, after Prometheus' own series of active alerts. */
  public static final String SERIES = "ALERTS";

  public Alert {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (fingerprint.isBlank()) {
      throw new IllegalArgumentException("fingerprint must not be blank");
    }
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    if (!labels.containsKey("alertname")) {
      throw new IllegalArgumentException("an alert needs the label alertname");
    }
    generatorUrl = generatorUrl == null ? "" : generatorUrl;
  }

  public String name() {
    return labels.get("alertname");
  }

  public String label(String label) {
    return labels.get(label);
  }

  /** The annotation {@code summary}, else {@code description}, else empty. */
  public String summary() {
    return annotations.getOrDefault("summary", annotations.getOrDefault("description", ""));
  }

  /**
   * The alert as an anomaly-shaped signal, so incident stores keep it with the detectors' anomalies
   * (same contract, same schema): series {@code ALERTS{alertname=...,<labels>}}, value 1 against an
   * expected 0, no detectors (a rule fired, not ours), full confidence, and a score from the {@code
   * severity} label on the same scale that {@link Severity#of} reads: critical or page 12
   * (CRITICAL), warning 7 (HIGH), info 4 (MEDIUM); an alert without one counts as a warning.
   */
  public Anomaly signal() {
    Map<String, String> seriesLabels = new TreeMap<>(labels);
    seriesLabels.remove("__name__");
    return new Anomaly(
        SeriesKey.of(SERIES, seriesLabels),
        startsAtMillis,
        1,
        0,
        0,
        score(labels.get("severity")),
        1,
        Direction.UP,
        Set.of());
  }

  /** Whether an anomaly kept on an incident is an alert's signal rather than a detection. */
  public static boolean isSignal(Anomaly anomaly) {
    return anomaly.detectors().isEmpty() && SERIES.equals(anomaly.series().name());
  }

  private static double score(String severity) {
    return switch (severity == null ? "" : severity.toLowerCase(Locale.ROOT)) {
      case "critical", "page", "error" -> 12;
      case "info", "informational", "none" -> 4;
      default -> 7;
    };
  }
}
