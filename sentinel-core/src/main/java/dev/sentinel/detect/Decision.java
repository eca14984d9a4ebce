package dev.sentinel.detect;

/** How a metric's points are turned into the yes/no that opens incidents. */
public enum Decision {
  /**
   * The default. A point is reported when the series' recent detector scores are improbable against
   * the distribution of its own scores (an anomaly likelihood, see {@link Likelihood}), once per
   * episode. {@code anomaly_score} is then a calibrated tail probability on a log scale.
   */
  LIKELIHOOD,
  /**
   * Every point whose ensemble score reaches its detectors' thresholds is anomalous, reported at
   * the onset of an episode and when it worsens ({@link Episodes}): the behaviour before the
   * likelihood, kept for metrics where any excursion past fixed thresholds must page.
   */
  THRESHOLD
}
