package dev.sentinel.verify;

/**
 * How recovery is judged after an action.
 *
 * @param windowSeconds the longest Sentinel watches after an action before it decides
 * @param graceSeconds the first seconds after an action are ignored: a restart's own blip
 * @param quietSeconds no anomaly on the incident's series for this long means recovered
 * @param worseFactor anomalies this many times stronger than before the action mean worse
 */
public record VerifyConfig(
    long windowSeconds, long graceSeconds, long quietSeconds, double worseFactor) {

  public VerifyConfig {
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds must be >= 1, was " + windowSeconds);
    }
    if (graceSeconds < 0 || quietSeconds < 1) {
      throw new IllegalArgumentException("graceSeconds must be >= 0 and quietSeconds >= 1");
    }
    if (graceSeconds + quietSeconds > windowSeconds) {
      throw new IllegalArgumentException(
          "graceSeconds + quietSeconds ("
              + (graceSeconds + quietSeconds)
              + ") must not exceed windowSeconds ("
              + windowSeconds
              + ")");
    }
    if (worseFactor <= 1) {
      throw new IllegalArgumentException("worseFactor must be > 1, was " + worseFactor);
    }
  }

  public static VerifyConfig defaults() {
    return new VerifyConfig(60, 5, 10, 1.5);
  }
}
