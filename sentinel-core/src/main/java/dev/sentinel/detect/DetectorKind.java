package dev.sentinel.detect;

/** The streaming detectors that vote in the ensemble. */
public enum DetectorKind {
  /** Distance from the mean of a rolling window, in standard deviations. */
  ZSCORE,
  /** Distance from a streaming median, in median absolute deviations: robust to outliers. */
  ROBUST,
  /** A shift of the exponentially weighted level (EWMA with a CUSUM of residuals). */
  LEVEL_SHIFT,
  /** Distance from the time-of-day and day-of-week profile learnt so far. */
  SEASONAL
}
