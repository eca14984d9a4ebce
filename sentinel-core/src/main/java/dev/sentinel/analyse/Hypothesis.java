package dev.sentinel.analyse;

import java.util.List;
import java.util.Objects;

/**
 * One candidate explanation of an incident.
 *
 * @param cause a fault signature, e.g. {@code memory-leak}, {@code saturation}, {@code bad-deploy}
 * @param service the service at fault
 * @param confidence how well the evidence fits, in [0, 1]
 * @param evidence the facts that support it, each citing a series, value or observation
 */
public record Hypothesis(String cause, String service, double confidence, List<String> evidence) {

  public Hypothesis {
    Objects.requireNonNull(cause, "cause");
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0,1], was " + confidence);
    }
    evidence = List.copyOf(evidence);
  }
}
