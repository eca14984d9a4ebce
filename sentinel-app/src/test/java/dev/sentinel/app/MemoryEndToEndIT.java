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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic memory in a real {@code sentinel run --demo} process (bundled PostgreSQL, Lucene index
 * and all-MiniLM-L6-v2 in process): the same fault twice is recognised and fixed the way that
 * worked; two regions of one service with the same symptom at once make one incident, and another
 * symptom still pages.
 */
class MemoryEndToEndIT {

  private static final String ADMIN = "snt_memory_test_admin_key_0123456789ab";
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @TempDir Path dataDir;

  private SentinelProcess start(Map<String, String> extra) throws Exception {
    Map<String, String> environment = new HashMap<>(extra);
    environment.put("SENTINEL_ADMIN_KEY", ADMIN);
    environment.put("SENTINEL_DEMO_AUTO_FAULTS", "false");
    environment.put("SENTINEL_DEMO_BACKFILL_HOURS", "6");
    environment.put("SENTINEL_REMEDIATION_WORKFLOW_SETTLE_SECONDS", "8");
    // The repository's sample runbooks, wherever the test runs from.
    Path runbooks = Path.of("").toAbsolutePath().resolveSibling("runbooks");
    if (!Files.isDirectory(runbooks)) {
      runbooks = Path.of("runbooks").toAbsolutePath();
    }
    environment.put("SENTINEL_MEMORY_RUNBOOKS", runbooks.toString());
    return SentinelProcess.start(
        environment, "run", "--demo", "--port", "0", "--data-dir", dataDir.toString());
  }

  private static String inject(SentinelApi api, String kind, String service) throws Exception {
    SentinelApi.Reply injected =
        api.post(
            "/api/v1/simulator/faults",
            "{\"kind\": \"" + kind + "\", \"service\": \"" + service + "\"}");
    assertThat(injected.status()).as(injected.body().toString()).isEqualTo(201);
    return injected.body().toString();
  }

  private static String awaitErrorIncident(SentinelApi api, java.util.Set<String> known)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode incident :
          api.get("/api/v1/incidents?service=checkout").body().get("incidents")) {
        String id = incident.get("id").asText();
        if (!known.contains(id)
            && api.get("/api/v1/incidents/" + id)
                .body()
                .get("series")
                .toString()
                .contains("error_rate")) {
          return id;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no second error incident for checkout within "
            + PATIENCE
            + "; incidents: "
            + api.get("/api/v1/incidents?service=checkout").body()
            + "; anomalies: "
            + api.get("/api/v1/anomalies?limit=30").body());
  }

  private static JsonNode awaitResolved(SentinelApi api, String id) throws Exception {
    return api.await(
        "/api/v1/incidents/" + id,
        body -> "resolved".equals(body.at("/incident/status").asText()),
        PATIENCE);
  }

  private static String analysis(JsonNode detail) {
    for (JsonNode event : detail.get("timeline")) {
      if ("analysis".equals(event.get("kind").asText())) {
        return event.get("summary").asText();
      }
    }
    return "";
  }

  @Test
  void the_same_fault_again_is_linked_to_the_first_and_fixed_the_way_that_worked()
      throws Exception {
    // No flap damping: the second fault must open an incident of its own, not reopen the first.
    try (SentinelProcess sentinel = start(Map.of("SENTINEL_INCIDENTS_WINDOW_SECONDS", "0"))) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(90)), ADMIN);
      // The sample runbooks are indexed just after start, once the model has loaded.
      api.await(
          "/health/detailed",
          body -> body.at("/components/memory/details/documents").asLong() > 0,
          Duration.ofSeconds(60));

      inject(api, "error_burst", "checkout");
      String first =
          api.await(
                  "/api/v1/incidents?service=checkout",
                  body -> body.get("count").asInt() > 0,
                  PATIENCE)
              .at("/incidents/0/id")
              .asText();
      JsonNode firstDone = awaitResolved(api, first);
      assertThat(firstDone.at("/workflow/verification/recovery").asText()).isEqualTo("RECOVERED");
      String fix = firstDone.at("/incident/resolution").asText();
      assertThat(fix).contains("restart simulator:checkout");

      java.util.Set<String> before = new java.util.HashSet<>();
      api.get("/api/v1/incidents?service=checkout")
          .body()
          .get("incidents")
          .forEach(incident -> before.add(incident.get("id").asText()));
      inject(api, "error_burst", "checkout");
      // The second burst's incident: opened after it, with checkout's error rate among its series
      // (a restart's after-effects, such as memory falling back, may open one of their own).
      String second = awaitErrorIncident(api, before);
      assertThat(second).isNotEqualTo(first);
      JsonNode secondDone = awaitResolved(api, second);

      assertThat(analysis(secondDone))
          .as(secondDone.toString())
          .contains("Similar incidents before: incident " + first)
          .contains("-> recovered");
      assertThat(secondDone.at("/incident/resolution").asText())
          .contains("restart simulator:checkout");
      assertThat(secondDone.at("/workflow/verification/recovery").asText()).isEqualTo("RECOVERED");
      JsonNode similar = secondDone.get("similar");
      assertThat(similar).as(secondDone.toString()).isNotEmpty();
      assertThat(similar.get(0).get("incidentId").asText()).isEqualTo(first);
      assertThat(similar.get(0).get("outcome").asText()).isEqualTo("recovered");
      assertThat(similar.get(0).get("operation").asText()).isEqualTo("restart");
      // The same fault scored 0.89-1.00 here (which symptoms join, and in what order, varies with
      // timing); different faults of one service score 0.6-0.7 (bench/RESULTS.md).
      assertThat(similar.get(0).get("similarity").asDouble()).isGreaterThan(0.8);
    }
  }

  /**
   * Ten minutes of quiet history for a series of the given service, one point every 10 s, ending
   * now, then one point far above it: the detectors are past their warm-up and flag the last one.
   */
  private static void spike(SentinelApi api, String metric, String service, double level)
      throws Exception {
    long now = System.currentTimeMillis();
    StringBuilder batch = new StringBuilder("[");
    for (int i = 60; i >= 0; i--) {
      // A deterministic wobble of about 2 % keeps every spread estimate honest.
      double value =
          i == 0 ? level * 5 : level * (1 + 0.02 * Math.sin(i * 1.7) + 0.01 * Math.cos(i * 0.3));
      batch
          .append(batch.length() > 1 ? "," : "")
          .append("{\"name\": \"")
          .append(metric)
          .append("\", \"labels\": {\"service\": \"")
          .append(service)
          .append("\"}, \"timestamp\": ")
          .append(now - i * 10_000L)
          .append(", \"value\": ")
          .append(value)
          .append('}');
    }
    SentinelApi.Reply posted = api.post("/api/v1/metrics", batch.append(']').toString());
    assertThat(posted.status()).as(posted.body().toString()).isEqualTo(202);
  }

  private static JsonNode incidentOf(SentinelApi api, String service) throws Exception {
    return api.await(
            "/api/v1/incidents?service=" + service, body -> body.get("count").asInt() > 0, PATIENCE)
        .at("/incidents/0");
  }

  private static List<JsonNode> timelineOf(SentinelApi api, String id, String kind)
      throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (JsonNode event : api.get("/api/v1/incidents/" + id).body().get("timeline")) {
      if (kind.equals(event.get("kind").asText())) {
        events.add(event);
      }
    }
    return events;
  }

  @Test
  void a_group_that_reads_like_an_open_incident_joins_it_and_a_new_problem_does_not()
      throws Exception {
    // The default threshold (0.90); the demo fleet stays out of the way: no automatic faults, and
    // the series below belong to services of their own.
    try (SentinelProcess sentinel = start(Map.of("SENTINEL_REMEDIATION_ENABLED", "false"))) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(90)), ADMIN);
      // Deduplication compares with what the memory holds once the model has loaded.
      api.await(
          "/health/detailed",
          body -> body.at("/components/memory/details/documents").asLong() > 0,
          Duration.ofSeconds(60));

      // Two regions of one service with the same symptom: one problem, one page. Labels alone
      // would open two incidents (grouping is by service).
      spike(api, "latency_p99_ms", "payments-eu", 180);
      String id = incidentOf(api, "payments-eu").get("id").asText();
      spike(api, "latency_p99_ms", "payments-us", 175);
      api.await(
          "/api/v1/incidents/" + id,
          body -> body.get("timeline").toString().contains("\"deduplicated\""),
          PATIENCE);
      List<JsonNode> joins = timelineOf(api, id, "deduplicated");
      assertThat(joins).hasSize(1);
      JsonNode join = joins.get(0);
      assertThat(join.at("/details/group").asText()).isEqualTo("{service=payments-us}");
      assertThat(join.at("/details/similarity").asDouble()).isGreaterThanOrEqualTo(0.9);
      assertThat(join.at("/details/description").asText())
          .isEqualTo("service payments-us: latency p99 ms above its expected range.");
      JsonNode merged = api.get("/api/v1/incidents/" + id).body();
      assertThat(merged.get("series").toString()).contains("service=\\\"payments-us\\\"");
      assertThat(api.get("/api/v1/audit?incident=" + id + "&limit=1000").body().toString())
          .contains("incident.merged")
          .contains("similarity");

      // Another symptom in a third region reads differently (about 0.6): a new problem, paged.
      spike(api, "error_rate", "payments-ap", 0.02);
      String other = incidentOf(api, "payments-ap").get("id").asText();
      assertThat(other).isNotEqualTo(id);
      assertThat(timelineOf(api, other, "deduplicated")).isEmpty();
      assertThat(timelineOf(api, id, "deduplicated")).hasSize(1);
      // The joined region opened no incident of its own.
      assertThat(api.get("/api/v1/incidents?service=payments-us").body().get("count").asInt())
          .isZero();
    }
  }
}
