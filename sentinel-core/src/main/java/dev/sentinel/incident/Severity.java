package dev.sentinel.incident;

/** How bad an incident is, from the scores and confidence of its anomalies. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /**
   * Maps the strongest anomaly of an incident to a severity. The cut-offs are in units of the
   * series' own spread: 3 is the usual "unlikely by chance", 8 is far beyond any normal noise.
   */
  public static Severity of(double maxScore, double maxConfidence, int seriesCount) {
    double weight = maxScore * (0.5 + 0.5 * maxConfidence) * (seriesCount >= 3 ? 1.5 : 1.0);
    if (weight >= 12) {
      return CRITICAL;
    }
    if (weight >= 7) {
      return HIGH;
    }
    if (weight >= 4) {
      return MEDIUM;
    }
    return LOW;
  }
}
