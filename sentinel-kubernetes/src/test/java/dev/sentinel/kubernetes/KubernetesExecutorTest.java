package dev.sentinel.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorContract;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import dev.sentinel.trace.RequestIds;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every operation and its rollback against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest extends ExecutorContract {

  KubernetesClient client;
  KubernetesMockServer server;
  private int taken;
  private Cluster cluster;
  private KubernetesExecutor kubernetes;

  @Override
  protected Executor executor() {
    return new KubernetesExecutor(client, Duration.ofSeconds(30));
  }

  @Override
  protected Target scalableTarget() {
    return new Target("kubernetes", Cluster.NAMESPACE, "deployment/checkout");
  }

  @Override
  protected Target missingTarget() {
    return new Target("kubernetes", Cluster.NAMESPACE, "deployment/nope");
  }

  @BeforeEach
  void cluster() {
    cluster = new Cluster(client).seed().runControllers();
    kubernetes = new KubernetesExecutor(client, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    cluster.close();
    // Open watches would keep the mock server waiting when the extension stops it.
    client.close();
  }

  private static Action action(String resource, String operation, Map<String, String> parameters) {
    return new Action(new Target("kubernetes", Cluster.NAMESPACE, resource), operation, parameters);
  }

  @Test
  void actions_that_find_their_key_or_set_a_state_are_safe_to_repeat_after_a_restart() {
    assertThat(kubernetes.safeToRepeat(action("deployment/checkout", "restart", Map.of())))
        .isTrue();
    assertThat(kubernetes.safeToRepeat(action("deployment/checkout", "rollback", Map.of())))
        .isTrue();
    assertThat(kubernetes.safeToRepeat(action("node/worker-1", "cordon", Map.of()))).isTrue();
    assertThat(
            kubernetes.safeToRepeat(
                action("deployment/checkout", "scale", Map.of("replicas", "4"))))
        .isTrue();
    assertThat(
            kubernetes.safeToRepeat(action("deployment/checkout", "scale", Map.of("delta", "+2"))))
        .isFalse();
    assertThat(kubernetes.safeToRepeat(action("pod/checkout-1", "delete-pod", Map.of()))).isFalse();
  }

  private Deployment checkout() {
    return client.apps().deployments().inNamespace(Cluster.NAMESPACE).withName("checkout").get();
  }

  private String checkoutImage() {
    return checkout().getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
  }

  @Test
  void scale_changes_the_replicas_waits_for_the_rollout_and_restore_puts_them_back() {
    Action scale = action("deployment/checkout", "scale", Map.of("delta", "+2"));
    PriorState prior = kubernetes.capture(scale);

    ActionResult result = kubernetes.apply(scale, "inc/1/1/execute");

    assertThat(result).isInstanceOf(ActionResult.Applied.class);
    assertThat(result.summary()).contains("from 3 to 5 replicas").contains("rollout ready");
    assertThat(checkout().getSpec().getReplicas()).isEqualTo(5);
    assertThat(kubernetes.restore(prior, "inc/1/1/rollback"))
        .isInstanceOf(ActionResult.Applied.class);
    assertThat(checkout().getSpec().getReplicas()).isEqualTo(3);
    assertThat(kubernetes.capture(scale)).isEqualTo(prior);
  }

  @Test
  void a_statefulset_scales_and_restores_too() {
    Action scale = action("statefulset/db", "scale", Map.of("replicas", "2"));
    PriorState prior = kubernetes.capture(scale);

    assertThat(kubernetes.apply(scale, "k1")).isInstanceOf(ActionResult.Applied.class);
    assertThat(kubernetes.describe(scale.target()))
        .containsEntry("replicas", "2")
        .containsEntry("ready", "true");
    kubernetes.restore(prior, "k2");
    assertThat(kubernetes.describe(scale.target())).containsEntry("replicas", "1");
  }

  @Test
  void restart_stamps_the_pod_template_once_per_key_and_restore_removes_the_stamp() {
    Action restart = action("deployment/checkout", "restart", Map.of());
    PriorState prior = kubernetes.capture(restart);

    ActionResult first = kubernetes.apply(restart, "inc/1/1/execute");
    String stamped =
        checkout()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(KubernetesExecutor.RESTARTED_AT);
    // A new executor (a restarted Sentinel) repeating the key sees the mark and restarts nothing.
    ActionResult again =
        new KubernetesExecutor(client, Duration.ofSeconds(30)).apply(restart, "inc/1/1/execute");

    assertThat(first).isInstanceOf(ActionResult.Applied.class);
    assertThat(stamped).isNotBlank();
    assertThat(again.summary()).contains("already");
    assertThat(checkout().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(KubernetesExecutor.RESTARTED_AT, stamped);
    kubernetes.restore(prior, "inc/1/1/rollback");
    assertThat(checkout().getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(KubernetesExecutor.RESTARTED_AT);
    assertThat(kubernetes.capture(restart)).isEqualTo(prior);
  }

  @Test
  void rollback_puts_the_previous_revisions_template_back_and_restore_undoes_it() {
    Action rollback = action("deployment/checkout", "rollback", Map.of());
    PriorState prior = kubernetes.capture(rollback);

    ActionResult result = kubernetes.apply(rollback, "inc/1/1/execute");

    assertThat(result.summary()).contains("back from revision 2 to 1");
    assertThat(checkoutImage()).isEqualTo("shop/checkout:v1");
    assertThat(checkout().getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey("pod-template-hash");
    kubernetes.restore(prior, "inc/1/1/rollback");
    assertThat(checkoutImage()).isEqualTo("shop/checkout:v2");
    assertThat(kubernetes.capture(rollback)).isEqualTo(prior);
  }

  @Test
  void rollback_without_an_earlier_revision_fails_and_changes_nothing() {
    client.apps().replicaSets().inNamespace(Cluster.NAMESPACE).withName("checkout-hash1").delete();

    ActionResult result =
        kubernetes.apply(action("deployment/checkout", "rollback", Map.of()), "k");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("no revision before revision 2");
    assertThat(checkoutImage()).isEqualTo("shop/checkout:v2");
  }

  @Test
  void delete_pod_leaves_the_replacement_to_its_controller() {
    Action delete = action("pod/checkout-hash2-x7q2k", "delete-pod", Map.of());
    PriorState prior = kubernetes.capture(delete);

    ActionResult result = kubernetes.apply(delete, "k");

    assertThat(prior.state()).containsEntry("controller", "ReplicaSet/checkout-hash2");
    assertThat(result.summary()).contains("ReplicaSet/checkout-hash2 replaces it");
    assertThat(client.pods().inNamespace(Cluster.NAMESPACE).withName("checkout-hash2-x7q2k").get())
        .isNull();
    // Nothing brings the same pod back: the rollback is honest about it and cannot be verified.
    assertThat(kubernetes.restore(prior, "k2").summary()).contains("nothing to restore");
    assertThat(kubernetes.capture(delete)).isNotEqualTo(prior);
  }

  @Test
  void a_pod_without_a_controller_is_not_deleted() {
    ActionResult result = kubernetes.apply(action("pod/debug-shell", "delete-pod", Map.of()), "k");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("no controller to replace it");
    assertThat(client.pods().inNamespace(Cluster.NAMESPACE).withName("debug-shell").get())
        .isNotNull();
  }

  @Test
  void cordon_marks_the_node_unschedulable_and_restore_uncordons_it() {
    Action cordon = new Action(new Target("kubernetes", "", "node/worker-1"), "cordon", Map.of());
    PriorState prior = kubernetes.capture(cordon);

    assertThat(kubernetes.apply(cordon, "k1").summary()).isEqualTo("cordoned node/worker-1");
    assertThat(client.nodes().withName("worker-1").get().getSpec().getUnschedulable()).isTrue();
    kubernetes.restore(prior, "k2");
    assertThat(client.nodes().withName("worker-1").get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(kubernetes.capture(cordon)).isEqualTo(prior);
  }

  @Test
  void a_rollout_that_is_not_ready_in_time_fails_after_the_change_so_it_can_be_rolled_back() {
    cluster.close();
    KubernetesExecutor impatient = new KubernetesExecutor(client, Duration.ofMillis(300));
    Action scale = action("statefulset/db", "scale", Map.of("replicas", "3"));

    ActionResult result = impatient.apply(scale, "k");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("rollout was not ready within 300 ms");
    assertThat(impatient.describe(scale.target()))
        .containsEntry("replicas", "3")
        .containsEntry("ready", "false");
  }

  @Test
  void an_operation_on_the_wrong_kind_fails_naming_both() {
    ActionResult result = kubernetes.apply(action("statefulset/db", "rollback", Map.of()), "k");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("cannot rollback a statefulset");
  }

  @Test
  void a_resource_that_is_not_kind_slash_name_is_refused_with_the_expected_form() {
    ActionResult result =
        kubernetes.apply(
            new Action(
                new Target("kubernetes", "prod", "checkout"), "scale", Map.of("replicas", "2")),
            "k");

    assertThat(result.summary()).contains("kind/name (deployment/checkout)");
  }

  @Test
  void every_api_call_of_an_action_carries_the_request_id_it_was_taken_under() throws Exception {
    Action scale = action("deployment/checkout", "scale", Map.of("replicas", "4"));
    try (KubernetesClient traced = KubernetesClients.connect(client.getConfiguration())) {
      drain(); // what the seeding and the controllers asked so far
      try (RequestIds.Scope request = RequestIds.open("incident-inc-7-run-1")) {
        new KubernetesExecutor(traced, Duration.ofSeconds(30)).apply(scale, "inc-7/1/1/execute");
      }
      List<RecordedRequest> requests = drain();
      List<String> ours =
          requests.stream()
              .filter(r -> "incident-inc-7-run-1".equals(r.getHeader(RequestIds.HEADER)))
              .map(r -> r.getMethod() + " " + r.getPath())
              .toList();
      assertThat(ours).anyMatch(call -> call.matches("(PATCH|PUT) .*/deployments/checkout.*"));
    }
    assertThat(checkout().getSpec().getReplicas()).isEqualTo(4);
  }

  /** The requests the server recorded since the last drain (the controllers never stop asking). */
  private List<RecordedRequest> drain() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    int recorded = server.getRequestCount();
    for (; taken < recorded; taken++) {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      if (request == null) {
        break;
      }
      requests.add(request);
    }
    return requests;
  }
}
