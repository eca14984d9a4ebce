package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A deployment's revisions, as its ReplicaSets record them (annotation {@value #REVISION}). Rolling
 * back copies the pod template of the revision before the current one into the deployment, which is
 * what {@code kubectl rollout undo} does.
 */
final class Revisions {

  static final String REVISION = "deployment.kubernetes.io/revision";
  private static final String HASH_LABEL = "pod-template-hash";

  private final KubernetesClient client;

  Revisions(KubernetesClient client) {
    this.client = client;
  }

  /** The template of the revision before the deployment's current one, and that revision. */
  Previous previous(KubernetesTarget target, Deployment deployment) {
    List<ReplicaSet> owned =
        client.apps().replicaSets().inNamespace(target.namespace()).list().getItems().stream()
            .filter(set -> ownedBy(set, deployment))
            .filter(set -> revision(set) > 0)
            .sorted(Comparator.comparingLong(Revisions::revision).reversed())
            .toList();
    long current =
        deployment.getMetadata().getAnnotations() != null
                && deployment.getMetadata().getAnnotations().containsKey(REVISION)
            ? revision(deployment)
            : owned.stream().mapToLong(Revisions::revision).max().orElse(0);
    ReplicaSet earlier =
        owned.stream()
            .filter(set -> revision(set) < current)
            .findFirst()
            .orElseThrow(
                () ->
                    new NoSuchElementException(
                        target
                            + " has no revision before revision "
                            + current
                            + " to roll back to"));
    PodTemplateSpec template = earlier.getSpec().getTemplate();
    // The hash label belongs to the ReplicaSet; the deployment controller adds it again.
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      template.getMetadata().getLabels().remove(HASH_LABEL);
    }
    return new Previous(revision(earlier), current, template);
  }

  record Previous(long revision, long current, PodTemplateSpec template) {}

  private static boolean ownedBy(ReplicaSet set, Deployment deployment) {
    List<OwnerReference> owners = set.getMetadata().getOwnerReferences();
    if (owners == null) {
      return false;
    }
    String uid = deployment.getMetadata().getUid();
    return owners.stream()
        .anyMatch(
            owner ->
                "Deployment".equals(owner.getKind())
                    && deployment.getMetadata().getName().equals(owner.getName())
                    && (uid == null
                        || owner.getUid() == null
                        || Objects.equals(uid, owner.getUid())));
  }

  private static long revision(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    if (annotations == null || annotations.get(REVISION) == null) {
      return 0;
    }
    try {
      return Long.parseLong(annotations.get(REVISION));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
