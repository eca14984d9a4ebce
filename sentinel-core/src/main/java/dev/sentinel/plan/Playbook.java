package dev.sentinel.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to do for each known cause: the candidate steps, best first, with their estimated cost.
 * Services listed in {@code stateful} get a larger blast radius (their dependents suffer while they
 * restart).
 */
public record Playbook(Map<String, List<Play>> plays, List<String> stateful) {

  public Playbook {
    plays = Map.copyOf(plays);
    stateful = List.copyOf(stateful);
  }

  /**
   * One candidate step.
   *
   * @param operation the executor operation, e.g. {@code restart}, {@code scale}, {@code rollback}
   * @param parameters its parameters, e.g. {@code delta=+3}
   * @param downtimeSeconds estimated downtime when the service is not stateful
   */
  public record Play(
      String operation, Map<String, String> parameters, long downtimeSeconds, BlastRadius radius) {
    public Play {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(radius, "radius");
      parameters = Map.copyOf(parameters);
    }
  }

  public List<Play> forCause(String cause) {
    return plays.getOrDefault(cause, List.of());
  }

  /**
   * The built-in plays. Saturation scales out by six replicas: an overload usually doubles demand,
   * and a service must come back near its usual utilisation (tripling a three-replica service), not
   * merely under 100 %, for its latency to return to normal.
   */
  public static Playbook defaults() {
    return new Playbook(
        Map.of(
            "memory-leak", List.of(new Play("restart", Map.of(), 5, BlastRadius.SERVICE)),
            "error-burst", List.of(new Play("restart", Map.of(), 5, BlastRadius.SERVICE)),
            "latency-spike", List.of(new Play("restart", Map.of(), 5, BlastRadius.SERVICE)),
            "saturation", List.of(new Play("scale", Map.of("delta", "+6"), 0, BlastRadius.SERVICE)),
            "bad-deploy",
                List.of(
                    new Play("rollback", Map.of(), 90, BlastRadius.SERVICE),
                    new Play("restart", Map.of(), 5, BlastRadius.SERVICE))),
        List.of("db"));
  }
}
