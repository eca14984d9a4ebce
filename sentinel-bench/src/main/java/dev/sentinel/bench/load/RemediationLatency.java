package dev.sentinel.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures, on a running {@code sentinel run --demo} (with {@code demo.autoFaults: false}), how
 * long a fault takes from injection to a verified, auto-remediated resolution, and how much of that
 * is Sentinel's own work rather than waiting for evidence: it injects a memory leak, follows the
 * incident's timeline, and splits the time into detection, settling, Sentinel's processing
 * (analysis to action, verification to resolution) and the verification window.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.sentinel.bench.load.RemediationLatency
 * http://127.0.0.1:8080 [rounds=5]} with an operator key in {@code SENTINEL_KEY}.
 */
public final class RemediationLatency {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String key;

  private RemediationLatency(String base, String key) {
    this.base = base;
    this.key = key;
  }

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    if (!URI.create(base).getHost().matches("127\\.0\\.0\\.1|localhost")) {
      throw new IllegalArgumentException("only a local Sentinel may be measured");
    }
    new RemediationLatency(base, System.getenv().getOrDefault("SENTINEL_KEY", "")).run(rounds);
  }

  private void run(int rounds) throws Exception {
    System.out.println(
        "| round | detection s | settle s | analysis→action ms | verify window s | verified→resolved ms | fault→resolved s |");
    System.out.println("|---|---|---|---|---|---|---|");
    List<Double> own = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      awaitHealthyFleet();
      long injected = System.currentTimeMillis();
      post("/api/v1/simulator/faults", "{\"kind\": \"memory_leak\", \"service\": \"checkout\"}");
      String id = awaitIncident(injected);
      JsonNode detail = awaitResolved(id);
      long opened = millis(detail.at("/incident/openedAt").asText());
      long analysed = eventTime(detail, "analysis");
      long acted = eventTime(detail, "action");
      long verified = eventTime(detail, "verification");
      long resolved = eventTime(detail, "resolved");
      double ownMillis = (acted - analysed) + (resolved - verified);
      own.add(ownMillis);
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.1f | %d | %.1f | %d | %.1f |%n",
          round,
          (opened - injected) / 1000.0,
          (analysed - opened) / 1000.0,
          acted - analysed,
          (verified - acted) / 1000.0,
          resolved - verified,
          (resolved - injected) / 1000.0);
    }
    System.out.printf(
        Locale.ROOT,
        "Sentinel's own processing per incident (analysis→action + verified→resolved): mean %.0f ms, max %.0f ms%n",
        own.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        own.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  private void awaitHealthyFleet() throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!get("/api/v1/simulator").toString().contains("\"kind\"")) {
        Thread.sleep(10_000);
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the fleet did not become healthy");
  }

  private String awaitIncident(long since) throws Exception {
    for (int i = 0; i < 600; i++) {
      JsonNode list = get("/api/v1/incidents?service=checkout&limit=1");
      JsonNode newest = list.at("/incidents/0");
      if (!newest.isMissingNode()
          && millis(newest.get("lastAnomalyAt").asText()) >= since
          && !"resolved".equals(newest.get("status").asText())) {
        return newest.get("id").asText();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no incident for the injected fault");
  }

  private JsonNode awaitResolved(String id) throws Exception {
    for (int i = 0; i < 1200; i++) {
      JsonNode detail = get("/api/v1/incidents/" + id);
      String status = detail.at("/incident/status").asText();
      if (status.equals("resolved")) {
        return detail;
      }
      if (status.equals("escalated") || status.equals("awaiting_approval")) {
        throw new IllegalStateException("incident " + id + " was not auto-remediated: " + status);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("incident " + id + " did not resolve");
  }

  private static long eventTime(JsonNode detail, String kind) {
    long last = 0;
    for (JsonNode event : detail.get("timeline")) {
      if (kind.equals(event.get("kind").asText())) {
        last = millis(event.get("time").asText());
      }
    }
    return last;
  }

  private static long millis(String time) {
    return Instant.parse(time).toEpochMilli();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private void post(String path, String body) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
