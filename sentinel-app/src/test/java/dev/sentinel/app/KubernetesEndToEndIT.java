package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code sentinel run --demo}, configured to remediate on Kubernetes: the demo fleet
 * supplies the incident, and the plan's target is {@code deployment/checkout} in namespace prod of
 * a fabric8 mock API server (CRUD mode) that Sentinel reaches through a kubeconfig. Proves the
 * wiring from configuration, the shaded client, and that dry-run is the default on a real platform.
 */
class KubernetesEndToEndIT {

  private static final String ADMIN = "snt_kubernetes_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @TempDir Path dataDir;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void cluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    CheckoutDeployment.create(client);
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private SentinelProcess start(String safety) throws Exception {
    Path kubeconfig = dataDir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\n"
            + "clusters: [{name: mock, cluster: {server: '"
            + client.getMasterUrl()
            + "'}}]\n"
            + "users: [{name: sentinel, user: {token: test}}]\n"
            + "contexts: [{name: mock, context: {cluster: mock, user: sentinel, namespace: prod}}]\n"
            + "current-context: mock\n");
    Path config = dataDir.resolve("sentinel.yaml");
    Files.writeString(
        config,
        "remediation:\n"
            + "  platform: kubernetes\n  scope: prod\n  resource: 'deployment/{service}'\n"
            + "  playbook:\n    plays:\n      error-burst:\n"
            + "        - {operation: restart, parameters: {}, downtimeSeconds: 5, radius: SERVICE}\n"
            + "  executors:\n    kubernetes: {enabled: true, kubeconfig: '"
            + kubeconfig
            + "', rolloutTimeoutSeconds: 0}\n"
            + "  safety:\n"
            + safety);
    Map<String, String> environment =
        Map.of(
            "SENTINEL_ADMIN_KEY", ADMIN,
            "SENTINEL_DEMO_AUTO_FAULTS", "false",
            "SENTINEL_DEMO_BACKFILL_HOURS", "6",
            "SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8");
    return SentinelProcess.start(
        environment,
        "run",
        "--demo",
        "--port",
        "0",
        "--data-dir",
        dataDir.toString(),
        "--config",
        config.toString());
  }

  private static String checkoutIncident(SentinelApi api) throws Exception {
    api.injectFault("error_burst", "checkout");
    return api.awaitIncident("checkout", PATIENCE);
  }

  private static JsonNode awaitAudit(SentinelApi api, String id, String action) throws Exception {
    return api.await(
            "/api/v1/audit?incident=" + id + "&action=" + action,
            body -> body.get("count").asInt() > 0,
            PATIENCE)
        .at("/entries/0");
  }

  private Deployment checkout() {
    return client.apps().deployments().inNamespace("prod").withName("checkout").get();
  }

  @Test
  void by_default_sentinel_only_records_what_it_would_do_on_kubernetes() throws Exception {
    try (SentinelProcess sentinel = start("    allow: {kubernetes: ['prod/deployment/*']}\n")) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = checkoutIncident(api);

      JsonNode dryRun = awaitAudit(api, id, "action.dry_run");

      assertThat(dryRun.at("/details/reason").asText())
          .contains("dry-run on kubernetes: would restart kubernetes:prod/deployment/checkout")
          .contains("replicas=2");
      assertThat(checkout().getMetadata().getAnnotations()).isNullOrEmpty();
      assertThat(checkout().getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }
  }

  @Test
  void with_dry_run_off_an_allowed_deployment_is_restarted_through_the_api_server()
      throws Exception {
    try (SentinelProcess sentinel =
        start("    dryRun: false\n    allow: {kubernetes: ['prod/deployment/checkout']}\n")) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = checkoutIncident(api);

      JsonNode executed = awaitAudit(api, id, "action.executed");

      assertThat(executed.at("/details/summary").asText())
          .contains("restarted prod/deployment/checkout");
      // Marked with the action's key; a rollback, if verification judged one necessary, marks its
      // own.
      assertThat(checkout().getMetadata().getAnnotations().get("sentinel.dev/action-key"))
          .startsWith(id + "/");
    }
  }
}
