package dev.sentinel.kubernetes;

import dev.sentinel.trace.RequestIds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Connects the fabric8 client the way {@code kubectl} would find its cluster. */
public final class KubernetesClients {

  private KubernetesClients() {}

  /**
   * @param kubeconfig a kubeconfig file, or empty for fabric8's discovery: the pod's service
   *     account in a cluster, else {@code $KUBECONFIG} or {@code ~/.kube/config}
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
    return connect(config);
  }

  /**
   * A client for {@code config} whose every API call carries the request id of the work making it
   * (the incident's workflow step, or the approval that resumed it) as {@value RequestIds#HEADER},
   * so the API server's audit log can be matched with Sentinel's, and which sends each request once
   * (it sets {@code requestRetryBackoffLimit} to 0 on {@code config}).
   */
  public static KubernetesClient connect(Config config) {
    // fabric8 sends a request again after a 5xx or an I/O error, up to ten times (about 19 s of
    // back-off). For a write that is an execution Sentinel did not decide on: the API server may
    // have made the change before it failed (etcd's "request timed out" is such a 500). Sentinel
    // decides what may be repeated itself (the action journal, Executor.safeToRepeat), so each
    // request is sent once. Set on the config itself: a copy through ConfigBuilder would lose the
    // kubeconfig file that token refreshes read.
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(
            http -> http.addOrReplaceInterceptor("sentinel-request-id", new RequestIdHeader()))
        .build();
  }

  /** Adds the caller's request id, when it has one, to each request before it is sent. */
  private static final class RequestIdHeader implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      String id = RequestIds.current();
      if (id != null) {
        builder.setHeader(RequestIds.HEADER, id);
      }
    }
  }
}
