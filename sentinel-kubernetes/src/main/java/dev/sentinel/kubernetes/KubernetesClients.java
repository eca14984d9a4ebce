package dev.sentinel.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Connects the fabric8 client the way {@code kubectl} would find its cluster. */
public final class KubernetesClients {

  private KubernetesClients() {}

  /**
   * @param kubeconfig a kubeconfig file, or empty for fabric8's discovery: the pod's service account
   *     in a cluster, else {@code $KUBECONFIG} or {@code ~/.kube/config}
   * @param context the context to use, or empty for the kubeconfig's current one
   */
  public static KubernetesClient connect(String kubeconfig, String context) {
    String chosen = context == null || context.isBlank() ? null : context;
    Config config;
    if (kubeconfig == null || kubeconfig.isBlank()) {
      config = Config.autoConfigure(chosen);
    } else {
      try {
        config = Config.fromKubeconfig(chosen, Files.readString(Path.of(kubeconfig)), kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the kubeconfig " + kubeconfig, e);
      }
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
