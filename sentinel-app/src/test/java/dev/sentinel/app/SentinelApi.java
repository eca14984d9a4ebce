package dev.sentinel.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small client for a running Sentinel's API, as a test (or a script) would use it. */
public final class SentinelApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String key;

  public SentinelApi(String base, String key) {
    this.base = base;
    this.key = key;
  }

  public record Reply(int status, JsonNode body) {}

  public Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** A GET whose body is not JSON (Prometheus' text format, say). */
  public String getText(String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  public Reply post(String path, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Creates an API key with this caller's (admin) key and returns its secret. */
  public String createKey(String name, String role) throws Exception {
    Reply created =
        post("/api/v1/keys", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
    if (created.status() != 201) {
      throw new AssertionError(
          "creating key " + name + " answered " + created.status() + " " + created.body());
    }
    return created.body().get("secret").asText();
  }

  private Reply send(HttpRequest.Builder request) throws Exception {
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    JsonNode body = text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
    return new Reply(response.statusCode(), body);
  }

  /** Polls {@code path} until {@code done} holds for its body, or fails with the last body seen. */
  public JsonNode await(String path, Predicate<JsonNode> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Reply last = null;
    while (System.nanoTime() < deadline) {
      last = get(path);
      if (last.status() == 200 && done.test(last.body())) {
        return last.body();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "condition not met on "
            + path
            + " within "
            + timeout
            + "; last reply: "
            + (last == null ? "none" : last.status() + " " + last.body()));
  }

  /** Injects a fault into the demo's fleet ({@code --demo}); fails unless the fleet took it. */
  public void injectFault(String kind, String service) throws Exception {
    Reply injected =
        post(
            "/api/v1/simulator/faults",
            "{\"kind\": \"" + kind + "\", \"service\": \"" + service + "\"}");
    if (injected.status() != 201) {
      throw new AssertionError(
          "the fleet refused the fault: " + injected.status() + " " + injected.body());
    }
  }

  /** The id of the newest incident of a service, once it has one. */
  public String awaitIncident(String service, Duration timeout) throws Exception {
    return await(
            "/api/v1/incidents?service=" + service, body -> body.get("count").asInt() > 0, timeout)
        .at("/incidents/0/id")
        .asText();
  }

  /** The incident's detail, once it shows {@code status} ({@code awaiting_approval}...). */
  public JsonNode awaitStatus(String incidentId, String status, Duration timeout) throws Exception {
    return await(
        "/api/v1/incidents/" + incidentId,
        body -> body.at("/incident/status").asText().equals(status),
        timeout);
  }
}
