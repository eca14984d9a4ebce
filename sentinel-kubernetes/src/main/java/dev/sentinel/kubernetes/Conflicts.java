package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Retries a read-modify-write when the object changed in between (HTTP 409). Controllers write a
 * workload's status all the time, so a conflict is routine, not an error; the change is read and
 * made again on the newest version, a few times.
 */
final class Conflicts {

  static final int ATTEMPTS = 5;

  private Conflicts() {}

  static void retry(Runnable change) {
    for (int attempt = 1; ; attempt++) {
      try {
        change.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
