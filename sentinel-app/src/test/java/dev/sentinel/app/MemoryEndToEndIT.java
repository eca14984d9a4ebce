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
 * worked; two services with the same symptom at once make one incident.
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
  void the_same_fault_again_is_linked_to_the_first_and_fixed_the_way_that_worked() throws Exception {
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
          api.await("/api/v1/incidents?service=checkout", body -> body.get("count").asInt() > 0, PATIENCE)
              .at("/incidents/0/id")
              .asText();
      JsonNode firstDone = awaitResolved(api, first);
      assertThat(firstDone.at("/workflow/verification/recovery").asText()).isEqualTo("RECOVERED");
      String fix = firstDone.at("/incident/resolution").asText();
      assertThat(fix).contains("restart simulator:checkout");

      inject(api, "error_burst", "checkout");
      String second =
          api.await(
                  "/api/v1/incidents?service=checkout",
                  body -> body.get("count").asInt() > 1,
                  PATIENCE)
              .at("/incidents/0/id")
              .asText();
      assertThat(second).isNotEqualTo(first);
      JsonNode secondDone = awaitResolved(api, second);

      assertThat(analysis(secondDone))
          .as(secondDone.toString())
          .contains("Similar incidents before: incident " + first)
          .contains("-> recovered");
      assertThat(secondDone.at("/incident/resolution").asText()).contains("restart simulator:checkout");
      assertThat(secondDone.at("/workflow/verification/recovery").asText()).isEqualTo("RECOVERED");
      JsonNode similar = secondDone.get("similar");
      assertThat(similar).as(secondDone.toString()).isNotEmpty();
      assertThat(similar.get(0).get("incidentId").asText()).isEqualTo(first);
      assertThat(similar.get(0).get("outcome").asText()).isEqualTo("recovered");
      assertThat(similar.get(0).get("operation").asText()).isEqualTo("restart");
      assertThat(similar.get(0).get("similarity").asDouble()).isGreaterThan(0.9);
    }
  }

  @Test
  @org.junit.jupiter.api.Disabled(
      "issue 5 stays open: passes alone, but in the full suite no join happens within the time"
          + " allowed (two full runs of 2026-11-29); cause not found yet")
  void a_group_that_reads_like_an_open_incident_joins_it_instead_of_paging_again() throws Exception {
    try (SentinelProcess sentinel =
        start(
            Map.of(
                // Same symptom, other service: all-MiniLM-L6-v2 scores such descriptions 0.74-0.85
                // depending on how many metrics each lists by then; 0.7 makes the join certain.
                "SENTINEL_MEMORY_DEDUP_THRESHOLD", "0.7",
                "SENTINEL_REMEDIATION_ENABLED", "false"))) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(90)), ADMIN);
      // Deduplication compares with what the memory holds, once the model has loaded (slow on a
      // busy machine): before that, api's incident would not be indexed to be joined.
      api.await(
          "/health/detailed",
          body -> body.at("/components/memory/details/documents").asLong() > 0,
          Duration.ofSeconds(60));
      // The same symptom in two services, one after the other: checkout's group is about to open
      // while api's incident, which reads the same but for the service, is open.
      inject(api, "latency_spike", "api");
      api.await("/api/v1/incidents?service=api", body -> body.get("count").asInt() > 0, PATIENCE);
      inject(api, "latency_spike", "checkout");

      JsonNode merged = null;
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (merged == null && System.nanoTime() < deadline) {
        for (JsonNode incident : api.get("/api/v1/incidents?since=10m").body().get("incidents")) {
          JsonNode detail = api.get("/api/v1/incidents/" + incident.get("id").asText()).body();
          if (detail.get("timeline").toString().contains("\"deduplicated\"")) {
            merged = detail;
          }
        }
        Thread.sleep(500);
      }
      assertThat(merged).as("an incident with a deduplicated group").isNotNull();
      JsonNode event = null;
      for (JsonNode candidate : merged.get("timeline")) {
        if ("deduplicated".equals(candidate.get("kind").asText())) {
          event = candidate;
        }
      }
      String group = event.at("/details/group").asText();
      String service = group.replace("{service=", "").replace("}", "");
      String id = merged.at("/incident/id").asText();
      assertThat(service).isNotEqualTo(merged.at("/incident/service").asText());
      assertThat(event.at("/details/similarity").asDouble()).isGreaterThanOrEqualTo(0.7);
      assertThat(event.at("/details/description").asText()).startsWith("service " + service + ":");
      assertThat(merged.get("series").toString()).contains("service=\\\"" + service + "\\\"");
      assertThat(api.get("/api/v1/audit?incident=" + id + "&limit=1000").body().toString())
          .contains("incident.merged")
          .contains("similarity");
      // The merged group opened no incident of its own.
      for (JsonNode incident : api.get("/api/v1/incidents?since=10m").body().get("incidents")) {
        assertThat(incident.get("service").asText()).isNotEqualTo(service);
      }
    }
  }
}
