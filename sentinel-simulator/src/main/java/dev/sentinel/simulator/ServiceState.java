package dev.sentinel.simulator;

import java.util.Objects;

/**
 * What an executor can change on a service, captured before and after each operation so that the
 * operation can be undone with {@link Fleet#restore}.
 *
 * @param service the service's name
 * @param replicas how many replicas run
 * @param version the deployed version
 * @param previousVersion the version a rollback would return to, or {@code null} when there is none
 */
public record ServiceState(String service, int replicas, String version, String previousVersion) {

  public ServiceState {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(version, "version");
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, was " + replicas);
    }
  }

  public boolean canRollBack() {
    return previousVersion != null;
  }
}
