package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole incident lifecycle against real {@code sentinel run --demo} processes over real HTTP:
 * auto-remediation, approval, rejection, rollback of an action that made things worse, SIGKILL and
 * restart, and the audit trail's verification, each on the bundled PostgreSQL and on the machine's
 * own server.
 */
class LifecycleEndToEndIT {

  private static final String ADMIN = "snt_lifecycle_test_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @TempDir Path dataDir;

  static List<StateDatabase> databases() {
    return StateDatabase.available();
  }

  private Map<String, String> environment(StateDatabase database) {
    Map<String, String> environment = new HashMap<>(database.environment());
    environment.put("SENTINEL_ADMIN_KEY", ADMIN);
    environment.put("SENTINEL_DEMO_AUTO_FAULTS", "false");
    environment.put("SENTINEL_DEMO_BACKFILL_HOURS", "6");
    environment.put("SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8");
    return environment;
  }

  private SentinelProcess start(StateDatabase database, String yaml) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("run", "--demo", "--port", "0", "--data-dir", dataDir.toString()));
    if (yaml != null) {
      Path config = dataDir.resolve("sentinel.yaml");
      Files.writeString(config, yaml);
      args.add("--config");
      args.add(config.toString());
    }
    return SentinelProcess.start(environment(database), args.toArray(String[]::new));
  }

  /** A playbook whose answer to an error burst is one step of the given cost. */
  private static String playbook(String play) {
    return "remediation:\n  playbook:\n    plays:\n      error-burst:\n        - " + play + "\n";
  }

  private static final String HIGH_RISK_RESTART =
      playbook("{operation: restart, parameters: {}, downtimeSeconds: 600, radius: SERVICE}");

  /** Injects an error burst into checkout and returns the incident it ends up in. */
  private static String injectLeak(SentinelApi api) throws Exception {
    api.injectFault("error_burst", "checkout");
    JsonNode list =
        api.await(
            "/api/v1/anomalies?since=2m&series=error_rate",
            body -> body.toString().contains("checkout"),
            PATIENCE);
    JsonNode incidents =
        api.await(
            "/api/v1/incidents?service=checkout", body -> body.get("count").asInt() > 0, PATIENCE);
    return incidents.at("/incidents/0/id").asText();
  }

  private static List<String> audited(SentinelApi api, String id) throws Exception {
    List<String> actions = new ArrayList<>();
    for (JsonNode entry :
        api.get("/api/v1/audit?incident=" + id + "&limit=1000").body().get("entries")) {
      actions.add(entry.get("action").asText());
    }
    return actions;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void a_low_risk_fault_is_auto_remediated_and_resolves_with_verified_recovery(
      StateDatabase database) throws Exception {
    try (SentinelProcess sentinel = start(database, null)) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = injectLeak(api);
      JsonNode resolved = api.awaitStatus(id, "resolved", PATIENCE);

      assertThat(resolved.at("/incident/resolution").asText())
          .contains("restart simulator:checkout");
      assertThat(resolved.at("/workflow/verification/recovery").asText()).isEqualTo("RECOVERED");
      assertThat(audited(api, id))
          .contains(
              "incident.opened",
              "analysis.completed",
              "plan.proposed",
              "approval.granted",
              "action.executed",
              "incident.resolved");
      assertThat(api.get("/api/v1/simulator").body().toString()).doesNotContain("ERROR_BURST");
      assertThat(sentinel.printed("incident " + id)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void a_high_risk_step_waits_for_approval_then_executes_and_resolves(StateDatabase database)
      throws Exception {
    try (SentinelProcess sentinel = start(database, HIGH_RISK_RESTART)) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = injectLeak(api);
      JsonNode waiting = api.awaitStatus(id, "awaiting_approval", PATIENCE);
      assertThat(waiting.at("/workflow/plan/steps/0/risk").asText()).isEqualTo("HIGH");
      assertThat(audited(api, id)).doesNotContain("action.executed");

      SentinelApi.Reply approved =
          api.post("/api/v1/incidents/" + id + "/approve", "{\"reason\": \"go\"}");
      assertThat(approved.status()).as(approved.body().toString()).isEqualTo(202);
      api.awaitStatus(id, "resolved", PATIENCE);
      assertThat(audited(api, id))
          .contains("approval.requested", "approval.granted", "action.executed");
      assertThat(api.post("/api/v1/incidents/" + id + "/approve", "{}").status()).isEqualTo(409);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void a_rejected_plan_leaves_the_fleet_untouched_and_the_incident_to_a_human(
      StateDatabase database) throws Exception {
    try (SentinelProcess sentinel = start(database, HIGH_RISK_RESTART)) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = injectLeak(api);
      api.awaitStatus(id, "awaiting_approval", PATIENCE);
      String fleetBefore = api.get("/api/v1/simulator").body().toString();

      assertThat(
              api.post("/api/v1/incidents/" + id + "/reject", "{\"reason\": \"not now\"}").status())
          .isEqualTo(202);
      // The rejection hands the incident to a human at once; the run then records why.
      api.awaitStatus(id, "escalated", PATIENCE);
      api.await(
          "/api/v1/audit?incident=" + id + "&action=escalated",
          body -> body.get("count").asInt() > 0,
          PATIENCE);
      assertThat(api.get("/api/v1/simulator").body().toString())
          .isEqualTo(fleetBefore)
          .contains("ERROR_BURST");
      assertThat(audited(api, id))
          .contains("approval.rejected", "escalated")
          .doesNotContain("action.executed");
    }
  }

  /**
   * A runbook with a mistake in it: it answers every cause by scaling the service in to one
   * replica. Under a saturating load that halves checkout's capacity, so the overload grows.
   */
  private static final String SCALE_IN_EVERYWHERE =
      "remediation:\n  playbook:\n    plays:\n"
          + List.of("saturation", "error-burst", "latency-spike", "memory-leak", "bad-deploy")
              .stream()
              .map(
                  cause ->
                      "      "
                          + cause
                          + ":\n        - {operation: scale, parameters: {replicas: '1'},"
                          + " downtimeSeconds: 0, radius: SERVICE}\n")
              .reduce("", String::concat);

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void an_action_that_makes_things_worse_is_rolled_back_and_the_incident_escalated(
      StateDatabase database) throws Exception {
    try (SentinelProcess sentinel = start(database, SCALE_IN_EVERYWHERE)) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      assertThat(replicas(api, "checkout")).isEqualTo(2);
      api.injectFault("saturation", "checkout");
      String id = api.awaitIncident("checkout", PATIENCE);

      JsonNode escalated = api.awaitStatus(id, "escalated", PATIENCE);
      assertThat(audited(api, id)).contains("action.executed", "action.rolled_back", "escalated");
      assertThat(escalated.toString()).contains("WORSE");
      JsonNode rollback = auditEntry(api, id, "action.rolled_back");
      assertThat(rollback.at("/details/verified").asText()).isEqualTo("true");
      assertThat(rollback.at("/details/prior").asText()).contains("replicas=2");
      assertThat(auditEntry(api, id, "escalated").at("/details/summary").asText())
          .contains("an action made things worse and was rolled back");
      assertThat(replicas(api, "checkout")).as("the rollback put the replicas back").isEqualTo(2);
      assertThat(api.get("/api/v1/simulator").body().toString()).contains("SATURATION");
    }
  }

  /** The incident's one audit entry of the given action. */
  private static JsonNode auditEntry(SentinelApi api, String id, String action) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode entry :
        api.get("/api/v1/audit?incident=" + id + "&action=" + action).body().get("entries")) {
      found.add(entry);
    }
    assertThat(found).as("audit entries " + action).hasSize(1);
    return found.getFirst();
  }

  /** Sentinel may act on every simulated service but checkout. */
  private static final String CHECKOUT_NOT_ALLOWED =
      "remediation:\n  safety:\n    allow:\n      simulator: [api, db, cache]\n";

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void an_action_on_a_service_outside_the_allow_list_is_refused_with_the_reason_audited(
      StateDatabase database) throws Exception {
    try (SentinelProcess sentinel = start(database, CHECKOUT_NOT_ALLOWED)) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = injectLeak(api);

      api.awaitStatus(id, "escalated", PATIENCE);
      JsonNode refused = auditEntry(api, id, "action.refused");
      assertThat(refused.at("/details/reason").asText())
          .contains("'checkout' is not on the simulator allow list")
          .contains("remediation.safety.allow.simulator");
      assertThat(audited(api, id)).doesNotContain("action.executed");
      assertThat(replicas(api, "checkout")).isEqualTo(2);
      assertThat(api.get("/api/v1/simulator").body().toString()).contains("ERROR_BURST");
    }
  }

  private static int replicas(SentinelApi api, String service) throws Exception {
    for (JsonNode entry : api.get("/api/v1/simulator").body().get("services")) {
      if (entry.at("/state/service").asText().equals(service)) {
        return entry.at("/state/replicas").asInt();
      }
    }
    throw new AssertionError("no service " + service + " in the simulator's description");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void sigkill_while_waiting_for_approval_and_during_execution_loses_nothing_and_acts_once(
      StateDatabase database) throws Exception {
    String id;
    String yaml = HIGH_RISK_RESTART + "demo:\n  actionDelayMillis: 4000\n";
    try (SentinelProcess first = start(database, yaml)) {
      SentinelApi api = new SentinelApi(first.awaitReady(Duration.ofSeconds(60)), ADMIN);
      id = injectLeak(api);
      api.awaitStatus(id, "awaiting_approval", PATIENCE);
      first.kill();
    }
    try (SentinelProcess second = start(database, yaml)) {
      SentinelApi api = new SentinelApi(second.awaitReady(Duration.ofSeconds(60)), ADMIN);
      assertThat(api.get("/api/v1/incidents/" + id).body().at("/incident/status").asText())
          .isEqualTo("awaiting_approval");
      assertThat(api.post("/api/v1/incidents/" + id + "/approve", "{}").status()).isEqualTo(202);
      // The simulated platform takes 4 s to act: kill the process while the action is under way.
      api.awaitStatus(id, "remediating", PATIENCE);
      Thread.sleep(1500);
      second.kill();
    }
    try (SentinelProcess third = start(database, yaml)) {
      SentinelApi api = new SentinelApi(third.awaitReady(Duration.ofSeconds(60)), ADMIN);
      api.awaitStatus(id, "resolved", PATIENCE);
      List<String> actions = audited(api, id);
      assertThat(actions.stream().filter("action.executed"::equals)).hasSize(1);
      assertThat(actions.stream().filter("approval.granted"::equals)).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void audit_verify_passes_then_names_the_row_altered_in_the_database(StateDatabase database)
      throws Exception {
    try (SentinelProcess sentinel = start(database, null)) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      String id = injectLeak(api);
      api.awaitStatus(id, "resolved", PATIENCE);

      CommandResult intact = cli(database, "audit", "verify", "--data-dir", dataDir.toString());
      assertThat(intact.exit()).as(intact.output()).isZero();
      assertThat(intact.output()).contains("intact");

      database.execute("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 2", dataDir);
      CommandResult broken = cli(database, "audit", "verify", "--data-dir", dataDir.toString());
      assertThat(broken.exit()).as(broken.output()).isEqualTo(1);
      assertThat(broken.output()).contains("BROKEN").contains("entry 2");
    }
  }

  record CommandResult(int exit, String output) {}

  private CommandResult cli(StateDatabase database, String... args) throws Exception {
    SentinelProcess process = SentinelProcess.start(environment(database), args);
    boolean ended = process.process().waitFor(60, TimeUnit.SECONDS);
    assertThat(ended).as("the CLI ended: " + process.log()).isTrue();
    Thread.sleep(200);
    return new CommandResult(process.process().exitValue(), process.log());
  }
}
