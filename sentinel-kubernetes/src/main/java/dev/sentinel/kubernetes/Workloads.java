package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deployments and statefulsets: reading their spec, changing replicas or pod template, and waiting
 * for the controller to roll the change out.
 *
 * <p>The prior state of a workload is its {@code replicas} and its pod {@code template} as JSON:
 * together they are what scale, restart and rollback change, so restoring both undoes any of them,
 * and reading them again tells whether the restore took effect.
 */
final class Workloads {

  /** Set on the workload when a template-changing action ran, so a repeat after a crash is seen. */
  static final String KEY_ANNOTATION = "sentinel.dev/action-key";

  private final KubernetesClient client;
  private final Duration rolloutTimeout;

  Workloads(KubernetesClient client, Duration rolloutTimeout) {
    this.client = client;
    this.rolloutTimeout = rolloutTimeout;
  }

  HasMetadata get(KubernetesTarget target) {
    HasMetadata workload =
        switch (target.kind()) {
          case "deployment" ->
              client
                  .apps()
                  .deployments()
                  .inNamespace(target.namespace())
                  .withName(target.name())
                  .get();
          case "statefulset" ->
              client
                  .apps()
                  .statefulSets()
                  .inNamespace(target.namespace())
                  .withName(target.name())
                  .get();
          default ->
              throw new IllegalArgumentException(target + " is not a deployment or statefulset");
        };
    if (workload == null) {
      throw new NoSuchElementException(target + " not found");
    }
    return workload;
  }

  Map<String, String> capture(KubernetesTarget target) {
    HasMetadata workload = get(target);
    Map<String, String> state = new LinkedHashMap<>();
    state.put("replicas", Integer.toString(replicas(workload)));
    state.put("template", client.getKubernetesSerialization().asJson(template(workload)));
    return state;
  }

  Map<String, String> describe(KubernetesTarget target) {
    HasMetadata workload = get(target);
    Map<String, String> state = new LinkedHashMap<>();
    state.put("replicas", Integer.toString(replicas(workload)));
    state.put("ready", Boolean.toString(Rollout.ready(workload)));
    template(workload)
        .getSpec()
        .getContainers()
        .forEach(container -> state.put("image." + container.getName(), container.getImage()));
    Optional.ofNullable(workload.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(Revisions.REVISION))
        .ifPresent(revision -> state.put("revision", revision));
    return state;
  }

  /** Whether an action under this key already changed the workload (a re-run after a crash). */
  boolean alreadyDone(KubernetesTarget target, String key) {
    Map<String, String> annotations = get(target).getMetadata().getAnnotations();
    return annotations != null && key.equals(annotations.get(KEY_ANNOTATION));
  }

  /** Changes the workload's spec, marks it with the action's key, and waits for the rollout. */
  String change(KubernetesTarget target, String key, Consumer<HasMetadata> change) {
    Consumer<HasMetadata> marked =
        workload -> {
          change.accept(workload);
          workload.getMetadata().getAnnotations().put(KEY_ANNOTATION, key);
        };
    Conflicts.retry(
        () -> {
          switch (target.kind()) {
            case "deployment" ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(target.namespace())
                    .withName(target.name())
                    .edit(deployment -> withAnnotations(deployment, marked));
            case "statefulset" ->
                client
                    .apps()
                    .statefulSets()
                    .inNamespace(target.namespace())
                    .withName(target.name())
                    .edit(set -> withAnnotations(set, marked));
            default ->
                throw new IllegalArgumentException(target + " is not a deployment or statefulset");
          }
        });
    return awaitRollout(target);
  }

  private static <T extends HasMetadata> T withAnnotations(
      T workload, Consumer<HasMetadata> change) {
    if (workload.getMetadata().getAnnotations() == null) {
      workload.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    change.accept(workload);
    return workload;
  }

  /**
   * Waits until the controller reports every replica updated and ready. Zero timeout: does not
   * wait. A timeout is thrown as {@link RolloutTimeout}: the change is made, but it did not take.
   */
  private String awaitRollout(KubernetesTarget target) {
    if (rolloutTimeout.isZero()) {
      return "";
    }
    long started = System.nanoTime();
    try {
      switch (target.kind()) {
        case "deployment" ->
            client
                .apps()
                .deployments()
                .inNamespace(target.namespace())
                .withName(target.name())
                .waitUntilCondition(
                    Rollout::ready, rolloutTimeout.toMillis(), TimeUnit.MILLISECONDS);
        default ->
            client
                .apps()
                .statefulSets()
                .inNamespace(target.namespace())
                .withName(target.name())
                .waitUntilCondition(
                    Rollout::ready, rolloutTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (KubernetesClientTimeoutException e) {
      throw new RolloutTimeout(
          target
              + " was changed but its rollout was not ready within "
              + rolloutTimeout.toMillis()
              + " ms");
    }
    return "; rollout ready after "
        + Duration.ofNanos(System.nanoTime() - started).toMillis()
        + " ms";
  }

  static int replicas(HasMetadata workload) {
    Integer replicas =
        workload instanceof Deployment d
            ? d.getSpec().getReplicas()
            : ((StatefulSet) workload).getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  static void setReplicas(HasMetadata workload, int replicas) {
    if (workload instanceof Deployment d) {
      d.getSpec().setReplicas(replicas);
    } else {
      ((StatefulSet) workload).getSpec().setReplicas(replicas);
    }
  }

  static PodTemplateSpec template(HasMetadata workload) {
    return workload instanceof Deployment d
        ? d.getSpec().getTemplate()
        : ((StatefulSet) workload).getSpec().getTemplate();
  }

  static void setTemplate(HasMetadata workload, PodTemplateSpec template) {
    if (workload instanceof Deployment d) {
      d.getSpec().setTemplate(template);
    } else {
      ((StatefulSet) workload).getSpec().setTemplate(template);
    }
  }

  PodTemplateSpec parseTemplate(String json) {
    return client.getKubernetesSerialization().unmarshal(json, PodTemplateSpec.class);
  }

  /** The change was made, but the rollout did not become ready in time. */
  static final class RolloutTimeout extends RuntimeException {
    RolloutTimeout(String message) {
      super(message);
    }
  }
}
