package dev.sentinel.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A write the API server fails is reported failed, and is not sent again behind its back. */
class FailedWriteTest {

  /** The CRUD mock, except that every PATCH is answered 500 (after the change, as etcd can). */
  private static final class FailingPatches extends KubernetesCrudDispatcher {
    final AtomicInteger patches = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"PATCH".equals(request.getMethod())) {
        return super.dispatch(request);
      }
      patches.incrementAndGet();
      super.dispatch(request);
      return new MockResponse()
          .setResponseCode(500)
          .setBody(
              "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"status\": \"Failure\","
                  + " \"message\": \"etcdserver: request timed out\", \"code\": 500}");
    }
  }

  private final FailingPatches dispatcher = new FailingPatches();
  private KubernetesMockServer server;
  private KubernetesClient seeding;

  @BeforeEach
  void cluster() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    seeding = server.createClient();
    new Cluster(seeding).seed();
  }

  @AfterEach
  void stop() {
    seeding.close();
    server.destroy();
  }

  @Test
  void a_write_answered_with_a_server_error_is_sent_once_and_fails_the_action() {
    try (KubernetesClient client =
        KubernetesClients.connect(server.createClient().getConfiguration())) {
      KubernetesExecutor executor = new KubernetesExecutor(client, Duration.ZERO);

      ActionResult result =
          executor.apply(
              new Action(
                  new Target("kubernetes", Cluster.NAMESPACE, "deployment/checkout"),
                  "scale",
                  Map.of("replicas", "4")),
              "inc-1/1/1/execute");

      assertThat(result).isInstanceOf(ActionResult.Failed.class);
      assertThat(result.summary()).contains("etcdserver: request timed out");
      assertThat(dispatcher.patches.get()).isEqualTo(1);
    }
  }
}
