package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The two single-object operations: deleting a pod so that its controller replaces it, and
 * cordoning a node (and, for a rollback, uncordoning it).
 */
final class PodsAndNodes {

  private final KubernetesClient client;

  PodsAndNodes(KubernetesClient client) {
    this.client = client;
  }

  /**
   * A pod's controller ({@code ReplicaSet/checkout-5d9f}), or {@code none}. A deleted pod is not
   * restored: its controller makes a new one with another name, so a rollback of a pod deletion
   * cannot be verified and goes to a human, which is what such a surprise deserves.
   */
  Map<String, String> capturePod(KubernetesTarget target) {
    Pod pod = client.pods().inNamespace(target.namespace()).withName(target.name()).get();
    return Map.of("controller", pod == null ? "gone" : controller(pod).orElse("none"));
  }

  String deletePod(KubernetesTarget target) {
    Pod pod = client.pods().inNamespace(target.namespace()).withName(target.name()).get();
    if (pod == null) {
      throw new NoSuchElementException(target + " not found");
    }
    // A pod without a controller is gone for good once deleted: that is not a remediation.
    String owner =
        controller(pod)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        target + " has no controller to replace it; not deleting it"));
    client.pods().inNamespace(target.namespace()).withName(target.name()).delete();
    return "deleted " + target + "; " + owner + " replaces it";
  }

  private static Optional<String> controller(Pod pod) {
    return Optional.ofNullable(pod.getMetadata().getOwnerReferences()).stream()
        .flatMap(java.util.List::stream)
        .filter(owner -> Boolean.TRUE.equals(owner.getController()))
        .findFirst()
        .map(PodsAndNodes::name);
  }

  private static String name(OwnerReference owner) {
    return owner.getKind() + "/" + owner.getName();
  }

  Map<String, String> captureNode(KubernetesTarget target) {
    return Map.of("unschedulable", Boolean.toString(unschedulable(node(target))));
  }

  String setUnschedulable(KubernetesTarget target, boolean unschedulable) {
    node(target);
    Conflicts.retry(
        () ->
            client
                .nodes()
                .withName(target.name())
                .edit(
                    node -> {
                      if (node.getSpec() == null) {
                        node.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
                      }
                      node.getSpec().setUnschedulable(unschedulable ? Boolean.TRUE : null);
                      return node;
                    }));
    return (unschedulable ? "cordoned " : "uncordoned ") + target;
  }

  private Node node(KubernetesTarget target) {
    Node node = client.nodes().withName(target.name()).get();
    if (node == null) {
      throw new NoSuchElementException(target + " not found");
    }
    if (node.getSpec() == null) {
      node.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
    }
    return node;
  }

  private static boolean unschedulable(Node node) {
    return Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }
}
