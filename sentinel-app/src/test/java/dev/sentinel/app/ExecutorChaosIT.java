package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.FaultyKubernetesApi.Fault;
import dev.sentinel.app.FaultyKubernetesApi.Write;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: the packaged {@code sentinel run --demo} remediating {@code deployment/checkout} on a
 * Kubernetes API server (fabric8's CRUD mock, reached over HTTP through a kubeconfig) whose writes
 * fail on cue. The plan has two steps, scale to 3 then a rollout restart; the rules plan one step,
 * so a local model (OpenAI wire format) proposes it and Sentinel's LLM planner checks it as it
 * would any model's. An action call that times out, one that errors, and a second step that
 * half-applies (the API server makes the change but its answer never arrives) must each end with
 * the steps taken rolled back, newest first, and the incident with a human, every write made at
 * most once per idempotency key.
 */
class ExecutorChaosIT {

  private static final String ADMIN = "snt_executor_chaos_test_admin_key_01234567";
  private static final Duration PATIENCE = Duration.ofSeconds(240);

  @TempDir Path dataDir;
  private FaultyKubernetesApi api;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private String template;
  private FaultyModelServer model;

  private static final String ANALYSIS =
      "{\"summary\": \"checkout's error rate jumped\", \"firstMover\": null, \"hypotheses\":"
          + " [{\"cause\": \"error-burst\", \"service\": \"checkout\", \"confidence\": 0.8,"
          + " \"evidence\": [\"error_rate of checkout rose far above its range\"]}]}";
  private static final String PLAN =
      "{\"summary\": \"add capacity, then restart\", \"steps\": ["
          + step("scale", "{\"replicas\": \"3\"}", 0)
          + ", "
          + step("restart", "{}", 5)
          + "]}";

  private static String step(String operation, String parameters, int downtime) {
    return "{\"platform\": \"kubernetes\", \"scope\": \"prod\", \"resource\":"
        + " \"deployment/checkout\", \"operation\": \""
        + operation
        + "\", \"parameters\": "
        + parameters
        + ", \"downtimeSeconds\": "
        + downtime
        + ", \"blastRadius\": \"SERVICE\", \"rationale\": \"errors under load\"}";
  }

  @BeforeEach
  void cluster() {
    api = new FaultyKubernetesApi();
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
    server.init();
    client = server.createClient();
    CheckoutDeployment.create(client);
    template = templateJson(checkout());
    model =
        new FaultyModelServer(
            FaultyModelServer.Protocol.OPENAI,
            new FaultyModelServer.Fault.Says(ANALYSIS),
            new FaultyModelServer.Fault.Says(PLAN));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
    model.close();
  }

  private SentinelProcess start() throws Exception {
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
            + "        - {operation: scale, parameters: {replicas: '3'}, downtimeSeconds: 0,"
            + " radius: SERVICE}\n"
            + "        - {operation: restart, parameters: {}, downtimeSeconds: 5, radius: SERVICE}\n"
            + "  executors:\n    kubernetes: {enabled: true, kubeconfig: '"
            + kubeconfig
            + "', rolloutTimeoutSeconds: 0}\n"
            + "  safety:\n    dryRun: false\n"
            + "    allow: {kubernetes: ['prod/deployment/checkout']}\n"
            + "llm:\n  enabled: true\n"
            + "  allowedTargets: ['kubernetes:prod/deployment/checkout']\n"
            + "  providers:\n    - {name: local, kind: openai, baseUrl: '"
            + model.baseUrl()
            + "/', model: chaos, apiKeyEnv: '', timeoutSeconds: 10, retries: 0,"
            + " pricePer1kInput: 0, pricePer1kOutput: 0}\n");
    Map<String, String> environment =
        Map.of(
            "SENTINEL_ADMIN_KEY", ADMIN,
            "SENTINEL_DEMO_AUTO_FAULTS", "false",
            "SENTINEL_DEMO_BACKFILL_HOURS", "6",
            "SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8",
            // One round, so that a failed round goes to a human instead of a fresh plan.
            "SENTINEL_REMEDIATION_WORKFLOW_MAX_ITERATIONS", "1",
            // Shorter than the default 60 s, so that step 2 comes sooner after step 1.
            "SENTINEL_REMEDIATION_VERIFY_WINDOW_SECONDS", "20");
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

  /** What one case came to, from Sentinel's API and the API server's log of writes. */
  private record Ending(
      JsonNode incident,
      Map<String, JsonNode> firstEntry,
      List<String> actions,
      List<Write> writes) {}

  private Ending work(String figure) throws Exception {
    try (SentinelProcess sentinel = start()) {
      SentinelApi sentinelApi = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(90)), ADMIN);
      sentinelApi.injectFault("error_burst", "checkout");
      String id = sentinelApi.awaitIncident("checkout", PATIENCE);
      // Nothing lost: the case must come to rest with a human, whatever the API server did, and
      // the human must read why.
      JsonNode incident =
          sentinelApi.await(
              "/api/v1/incidents/" + id,
              body -> "escalated".equals(body.at("/incident/status").asText()),
              PATIENCE);
      // No step threw out of the workflow, and no lease ran out under a stalled worker.
      assertThat(sentinel.log())
          .doesNotContain("workflow step of incident " + id + " failed")
          .doesNotContain("the lease on its workflow was lost");
      List<JsonNode> entries = new ArrayList<>();
      sentinelApi
          .get("/api/v1/audit?incident=" + id + "&limit=1000")
          .body()
          .get("entries")
          .forEach(entries::add);
      entries.sort(Comparator.comparingLong(entry -> entry.get("sequence").asLong()));
      Map<String, JsonNode> first = new HashMap<>();
      List<String> actions = new ArrayList<>();
      for (JsonNode entry : entries) {
        first.putIfAbsent(entry.get("action").asText(), entry);
        actions.add(entry.get("action").asText());
      }
      assertThat(first.get("escalated").toString())
          .contains("was not applied")
          .contains("the steps the plan had taken were rolled back");
      List<Write> writes = api.writes();
      Ending ending = new Ending(incident, first, actions, writes);
      print(figure, ending);
      return ending;
    }
  }

  private static void print(String figure, Ending ending) {
    Write fault =
        ending.writes().stream().filter(write -> write.fault() != null).findFirst().orElseThrow();
    long failed = ending.firstEntry().get("action.failed").get("timestampMillis").asLong();
    long escalated = ending.firstEntry().get("escalated").get("timestampMillis").asLong();
    System.out.printf(
        "CHAOS executor %s: lost %d of 1 incident (final %s); fault -> action.failed %d ms,"
            + " -> escalated %d ms; writes received per key %s%n",
        figure,
        "escalated".equals(ending.incident().at("/incident/status").asText()) ? 0 : 1,
        ending.incident().at("/incident/status").asText(),
        failed - fault.atMillis(),
        escalated - fault.atMillis(),
        writesPerStep(ending.writes()));
  }

  private static Map<String, Long> writesPerStep(List<Write> writes) {
    return writes.stream()
        .collect(Collectors.groupingBy(Write::step, TreeMap::new, Collectors.counting()));
  }

  private static Map<String, Long> appliedPerStep(List<Write> writes) {
    return writes.stream()
        .filter(Write::applied)
        .collect(Collectors.groupingBy(Write::step, TreeMap::new, Collectors.counting()));
  }

  private Deployment checkout() {
    return client.apps().deployments().inNamespace("prod").withName("checkout").get();
  }

  private String templateJson(Deployment deployment) {
    return client.getKubernetesSerialization().asJson(deployment.getSpec().getTemplate());
  }

  /** The deployment is as it was before Sentinel touched it: replicas and pod template. */
  private void assertCheckoutAsBefore() {
    Deployment now = checkout();
    assertThat(now.getSpec().getReplicas()).isEqualTo(2);
    assertThat(templateJson(now)).isEqualTo(template);
  }

  @Test
  void an_action_call_that_times_out_is_rolled_back_and_escalated() throws Exception {
    api.fail("execute", Fault.TIMEOUT);

    Ending ending = work("timeout");

    assertThat(ending.actions())
        .containsSubsequence("action.failed", "action.rolled_back", "escalated")
        .doesNotContain("action.executed", "incident.resolved");
    assertThat(ending.firstEntry().get("action.failed").toString()).contains("step 1 of 2");
    assertThat(appliedPerStep(ending.writes())).isEqualTo(Map.of("rollback", 1L));
    assertThat(writesPerStep(ending.writes())).containsEntry("execute", 1L);
    assertCheckoutAsBefore();
  }

  @Test
  void an_action_call_that_errors_is_rolled_back_and_escalated() throws Exception {
    api.fail("execute", Fault.ERROR);

    Ending ending = work("error");

    assertThat(ending.actions())
        .containsSubsequence("action.failed", "action.rolled_back", "escalated")
        .doesNotContain("action.executed", "incident.resolved");
    assertThat(ending.firstEntry().get("action.failed").toString()).contains("InternalError");
    assertThat(appliedPerStep(ending.writes())).isEqualTo(Map.of("rollback", 1L));
    assertThat(writesPerStep(ending.writes())).containsEntry("execute", 1L);
    assertCheckoutAsBefore();
  }

  @Test
  void a_second_step_that_half_applies_rolls_back_both_steps_in_reverse_order() throws Exception {
    api.fail("execute/2", Fault.LOST_REPLY);

    Ending ending = work("half-applied step 2");

    assertThat(ending.actions())
        .containsSubsequence(
            "action.executed", "action.failed", "action.rolled_back", "action.rolled_back")
        .containsSubsequence("action.rolled_back", "escalated")
        .doesNotContain("incident.resolved");
    // Every write was made once: each step's action and each step's rollback, step 2's first.
    List<String> applied =
        ending.writes().stream().filter(Write::applied).map(Write::step).toList();
    assertThat(applied).containsExactly("execute", "execute/2", "rollback/2", "rollback");
    assertThat(writesPerStep(ending.writes()).values()).containsOnly(1L);
    assertThat(ending.incident().at("/workflow/plan/steps").size()).isEqualTo(2);
    JsonNode steps = ending.incident().at("/workflow/steps");
    assertThat(steps.get(0).get("rollback").asText()).isEqualTo("verified");
    assertThat(steps.get(1).get("rollback").asText()).isEqualTo("verified");
    assertCheckoutAsBefore();
  }
}
