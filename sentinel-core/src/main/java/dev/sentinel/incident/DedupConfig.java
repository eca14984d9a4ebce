package dev.sentinel.incident;

/**
 * Semantic deduplication: a new anomaly group whose description is this close to an open incident's
 * joins that incident instead of opening another.
 *
 * @param threshold the cosine similarity at or above which two descriptions are the same problem
 * @param windowSeconds only incidents with an anomaly this recent are candidates: an incident that
 *     has been quiet longer is not the cause of something starting now
 * @param candidates how many nearest incidents are looked at (the nearest may be resolved)
 */
public record DedupConfig(boolean enabled, double threshold, long windowSeconds, int candidates) {

  public DedupConfig {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], was " + threshold);
    }
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds must be >= 1, was " + windowSeconds);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
    }
  }

  public static DedupConfig defaults() {
    return new DedupConfig(true, 0.9, 1800, 5);
  }
}
