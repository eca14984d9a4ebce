package dev.sentinel.kubernetes;

import dev.sentinel.plan.Target;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link Target} read the Kubernetes way: the resource is {@code kind/name} ({@code
 * deployment/checkout}, {@code statefulset/db}, {@code pod/checkout-5d9f-x2x7q}, {@code
 * node/worker-1}) and the scope is the namespace ({@code default} when empty; ignored for nodes).
 */
record KubernetesTarget(String kind, String name, String namespace) {

  static final Set<String> KINDS = Set.of("deployment", "statefulset", "pod", "node");

  static KubernetesTarget of(Target target) {
    String resource = target.resource();
    int slash = resource.indexOf('/');
    if (slash <= 0 || slash == resource.length() - 1) {
      throw new IllegalArgumentException(
          "a Kubernetes resource is kind/name (deployment/checkout), was '" + resource + "'");
    }
    String kind = resource.substring(0, slash).toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "Sentinel acts on deployments, statefulsets, pods and nodes, not '"
              + kind
              + "' ("
              + resource
              + ")");
    }
    String namespace = target.scope().isEmpty() ? "default" : target.scope();
    return new KubernetesTarget(kind, resource.substring(slash + 1), namespace);
  }

  boolean isWorkload() {
    return kind.equals("deployment") || kind.equals("statefulset");
  }

  @Override
  public String toString() {
    return kind.equals("node") ? "node/" + name : namespace + "/" + kind + "/" + name;
  }
}
