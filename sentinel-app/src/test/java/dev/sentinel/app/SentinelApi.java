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
}
