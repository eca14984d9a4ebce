package dev.sentinel.analyse;

import dev.sentinel.detect.Direction;
import java.util.List;
import java.util.Objects;

/**
 * A known fault pattern: which series move which way when that fault happens.
 *
 * @param cause the name the playbook knows it by, e.g. {@code memory-leak}
 * @param symptoms metric-name globs with the direction they move; the more of them present, the
 *     better the fit
 * @param risingTrend whether the matching values must keep rising (a leak), not just jump
 * @param needsRecentChange whether the fit depends on a recent change of the service (a deploy)
 */
public record Signature(
    String cause, List<Symptom> symptoms, boolean risingTrend, boolean needsRecentChange) {

  public Signature {
    Objects.requireNonNull(cause, "cause");
    symptoms = List.copyOf(symptoms);
    if (symptoms.isEmpty()) {
      throw new IllegalArgumentException("signature '" + cause + "' needs at least one symptom");
    }
  }

  /** A metric-name glob ({@code *} matches any run of characters) and its direction. */
  public record Symptom(String metric, Direction direction) {
    public Symptom {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(direction, "direction");
    }

    public boolean matches(String metricName, Direction moved) {
      return moved == direction && Glob.matches(metric, metricName);
    }
  }

  /** The signatures Sentinel knows out of the box, for services that use common metric names. */
  public static List<Signature> defaults() {
    return List.of(
        new Signature("memory-leak", List.of(new Symptom("memory_*", Direction.UP)), true, false),
        new Signature(
            "saturation",
            List.of(
                new Symptom("cpu_*", Direction.UP),
                new Symptom("queue_*", Direction.UP),
                new Symptom("latency_*", Direction.UP)),
            false,
            false),
        new Signature(
            "bad-deploy",
            List.of(new Symptom("error_*", Direction.UP), new Symptom("latency_*", Direction.UP)),
            false,
            true),
        new Signature("error-burst", List.of(new Symptom("error_*", Direction.UP)), false, false),
        new Signature(
            "latency-spike", List.of(new Symptom("latency_*", Direction.UP)), false, false));
  }
}
