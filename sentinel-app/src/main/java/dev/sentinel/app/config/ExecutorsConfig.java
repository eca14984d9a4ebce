package dev.sentinel.app.config;

import java.util.Objects;

/**
 * The real platforms Sentinel may act on ({@code remediation.executors}); each is off until
 * enabled, and even then dry-run and the allow lists of {@code remediation.safety} apply.
 *
 * @param kubernetes the Kubernetes executor (platform {@code kubernetes})
 * @param aws the EC2 and ECS executors (platforms {@code aws-ec2} and {@code aws-ecs})
 */
public record ExecutorsConfig(Kubernetes kubernetes, Aws aws) {

  public ExecutorsConfig {
    Objects.requireNonNull(kubernetes, "kubernetes");
    Objects.requireNonNull(aws, "aws");
  }

  public static ExecutorsConfig defaults() {
    return new ExecutorsConfig(new Kubernetes(false, "", "", 300), new Aws(false, "", "", 300));
  }

  /**
   * @param kubeconfig a kubeconfig file; empty: the standard discovery (the pod's service account
   *     when Sentinel runs in the cluster, else {@code $KUBECONFIG} or {@code ~/.kube/config})
   * @param context the kubeconfig context; empty: its current context
   * @param rolloutTimeoutSeconds how long a workload change may take to become ready before the
   *     action counts as failed (and is rolled back); 0 does not wait
   */
  public record Kubernetes(
      boolean enabled, String kubeconfig, String context, long rolloutTimeoutSeconds) {
    public Kubernetes {
      kubeconfig = kubeconfig == null ? "" : kubeconfig;
      context = context == null ? "" : context;
      if (rolloutTimeoutSeconds < 0) {
        throw new IllegalArgumentException(
            "rolloutTimeoutSeconds must be >= 0, was " + rolloutTimeoutSeconds);
      }
    }
  }

  /**
   * @param region the region of the instances and clusters; required when enabled. Credentials come
   *     from the standard AWS provider chain (environment, profile, web identity, instance role)
   * @param endpoint overrides both services' endpoint (a VPC endpoint or a local stand-in); empty:
   *     AWS's own
   * @param waitSeconds how long a stop, start or ECS deployment may take to settle; 0 does not wait
   */
  public record Aws(boolean enabled, String region, String endpoint, long waitSeconds) {
    public Aws {
      region = region == null ? "" : region;
      endpoint = endpoint == null ? "" : endpoint;
      if (enabled && region.isBlank()) {
        throw new IllegalArgumentException("region is required when the AWS executors are enabled");
      }
      if (waitSeconds < 0) {
        throw new IllegalArgumentException("waitSeconds must be >= 0, was " + waitSeconds);
      }
    }
  }
}
