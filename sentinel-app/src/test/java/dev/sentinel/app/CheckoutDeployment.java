package dev.sentinel.app;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The deployment the Kubernetes tests act on: {@code prod/checkout}, two replicas of v2. */
final class CheckoutDeployment {

  private CheckoutDeployment() {}

  static void create(KubernetesClient client) {
    client
        .apps()
        .deployments()
        .inNamespace("prod")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "checkout")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/checkout:v2")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }
}
