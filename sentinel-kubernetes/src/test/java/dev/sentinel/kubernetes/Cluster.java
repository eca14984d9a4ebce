package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A small cluster on fabric8's CRUD mock server: namespace {@value #NAMESPACE} with deployment
 * {@code checkout} (3 replicas, image v2 at revision 2, revision 1 ran v1), statefulset {@code db}
 * (1 replica), a pod of checkout and a node. The mock runs no controllers, so {@link
 * #runControllers()} stands in for them: it reports every workload's rollout ready soon after its
 * spec changes, as a healthy cluster would.
 */
final class Cluster implements AutoCloseable {

  static final String NAMESPACE = "prod";

  private final KubernetesClient client;
  private volatile boolean running;
  private Thread loop;

  Cluster(KubernetesClient client) {
    this.client = client;
  }

  static PodTemplateSpec template(String app, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  Cluster seed() {
    Deployment checkout =
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("checkout")
                    .addToAnnotations(Revisions.REVISION, "2")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(3)
                    .withNewSelector()
                    .addToMatchLabels("app", "checkout")
                    .endSelector()
                    .withTemplate(template("checkout", "shop/checkout:v2"))
                    .endSpec()
                    .build())
            .create();
    OwnerReference owner =
        new OwnerReferenceBuilder()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName("checkout")
            .withUid(checkout.getMetadata().getUid())
            .withController(true)
            .build();
    for (int revision = 1; revision <= 2; revision++) {
      PodTemplateSpec template = template("checkout", "shop/checkout:v" + revision);
      template.getMetadata().getLabels().put("pod-template-hash", "hash" + revision);
      client
          .apps()
          .replicaSets()
          .inNamespace(NAMESPACE)
          .resource(
              new ReplicaSetBuilder()
                  .withNewMetadata()
                  .withName("checkout-hash" + revision)
                  .addToAnnotations(Revisions.REVISION, Integer.toString(revision))
                  .withOwnerReferences(owner)
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(revision == 2 ? 3 : 0)
                  .withTemplate(template)
                  .endSpec()
                  .build())
          .create();
    }
    client
        .apps()
        .statefulSets()
        .inNamespace(NAMESPACE)
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withServiceName("db")
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withTemplate(template("db", "postgres:17"))
                .endSpec()
                .build())
        .create();
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("checkout-hash2-x7q2k")
                .addToLabels("app", "checkout")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("checkout-hash2")
                .withUid("rs-uid")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/checkout:v2")
                .endContainer()
                .endSpec()
                .build())
        .create();
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("debug-shell")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("sh")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build())
        .create();
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("worker-1")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    return this;
  }

  /**
   * Reports each workload's rollout complete whenever its spec is ahead of its status. It polls
   * rather than watches: a watch still open when a test ends keeps the mock server from stopping.
   */
  Cluster runControllers() {
    // Tests start from a settled cluster, as a healthy one would be.
    client.apps().deployments().inNamespace(NAMESPACE).list().getItems().forEach(this::settle);
    client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems().forEach(this::settle);
    running = true;
    loop =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running) {
                    try {
                      client
                          .apps()
                          .deployments()
                          .inNamespace(NAMESPACE)
                          .list()
                          .getItems()
                          .forEach(this::settle);
                      client
                          .apps()
                          .statefulSets()
                          .inNamespace(NAMESPACE)
                          .list()
                          .getItems()
                          .forEach(this::settle);
                      Thread.sleep(10);
                    } catch (KubernetesClientException e) {
                      // A conflict with the executor's own change: settle it on the next pass.
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    return this;
  }

  private void settle(Deployment deployment) {
    if (Rollout.ready(deployment)) {
      return;
    }
    int replicas = Workloads.replicas(deployment);
    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName(deployment.getMetadata().getName())
        .editStatus(
            d -> {
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .build());
              return d;
            });
  }

  private void settle(StatefulSet set) {
    if (Rollout.ready(set)) {
      return;
    }
    int replicas = Workloads.replicas(set);
    client
        .apps()
        .statefulSets()
        .inNamespace(NAMESPACE)
        .withName(set.getMetadata().getName())
        .editStatus(
            s -> {
              s.setStatus(
                  new StatefulSetStatusBuilder()
                      .withObservedGeneration(s.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .build());
              return s;
            });
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) {
      try {
        loop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
