package dev.sentinel.app.observe;

import java.util.Map;

/**
 * The health of one component: UP, DEGRADED (working, but something needs a look) or DOWN.
 *
 * @param details figures that explain the status, for people and dashboards
 */
public record Health(Status status, String message, Map<String, Object> details) {

  public enum Status {
    UP,
    DEGRADED,
    DOWN
  }

  public Health {
    details = Map.copyOf(details);
  }

  public static Health up(Map<String, Object> details) {
    return new Health(Status.UP, "ok", details);
  }

  /** The worse of two statuses, for rolling components up into one. */
  public static Status worst(Status a, Status b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
