package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;

/** Whether a workload's controller has finished rolling out its current spec. */
final class Rollout {

  private Rollout() {}

  static boolean ready(HasMetadata workload) {
    if (workload == null) {
      return false;
    }
    Long generation = workload.getMetadata().getGeneration();
    return switch (workload) {
      case Deployment d ->
          d.getStatus() != null
              && observed(generation, d.getStatus().getObservedGeneration())
              && all(d.getSpec().getReplicas(), d.getStatus().getUpdatedReplicas())
              && all(d.getSpec().getReplicas(), d.getStatus().getReadyReplicas())
              && all(d.getSpec().getReplicas(), d.getStatus().getAvailableReplicas());
      case StatefulSet s ->
          s.getStatus() != null
              && observed(generation, s.getStatus().getObservedGeneration())
              && all(s.getSpec().getReplicas(), s.getStatus().getUpdatedReplicas())
              && all(s.getSpec().getReplicas(), s.getStatus().getReadyReplicas());
      default -> true;
    };
  }

  private static boolean observed(Long generation, Long observed) {
    return generation == null || (observed != null && observed >= generation);
  }

  /** The status counts every replica the spec asks for (a missing count is zero). */
  private static boolean all(Integer wanted, Integer counted) {
    int want = Objects.requireNonNullElse(wanted, 1);
    return Objects.requireNonNullElse(counted, 0) >= want;
  }
}
