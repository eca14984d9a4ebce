package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code sentinel run --demo} as a user would (a real process from the packaged jar) and
 * watches, over real HTTP, the first injected fault being detected and opening an incident.
 */
class DemoEndToEndIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void the_demo_injects_a_fault_that_is_detected_and_opens_an_incident() throws Exception {
    try (SentinelProcess sentinel =
        SentinelProcess.start(
            Map.of("SENTINEL_DEMO_FIRST_FAULT_SECONDS", "3"),
            "run",
            "--demo",
            "--port",
            "0",
            "--data-dir",
            dataDir.toString())) {
      String base = sentinel.awaitReady(Duration.ofSeconds(30));
      assertThat(get(base + "/health").get("status").asText()).isEqualTo("UP");

      // The first fault of the rotation is a memory leak in checkout.
      JsonNode leak = null;
      JsonNode incident = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while ((leak == null || incident == null) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        for (JsonNode anomaly : get(base + "/api/v1/anomalies?since=10m&series=memory_used_bytes")
            .get("anomalies")) {
          if ("checkout".equals(anomaly.at("/labels/service").asText())
              && "up".equals(anomaly.get("direction").asText())) {
            leak = anomaly;
          }
        }
        for (JsonNode candidate : get(base + "/api/v1/incidents?service=checkout").get("incidents")) {
          incident = candidate;
        }
      }
      assertThat(sentinel.printed("injected fault #1: MEMORY_LEAK in checkout"))
          .as(sentinel.log())
          .isTrue();
      assertThat(leak).as("a memory anomaly on checkout; log:\n" + sentinel.log()).isNotNull();
      assertThat(leak.get("value").asDouble()).isGreaterThan(leak.at("/expected/high").asDouble());
      assertThat(leak.get("confidence").asDouble()).isBetween(0.0, 1.0);
      assertThat(leak.get("detectors")).isNotEmpty();
      assertThat(incident).as("an incident for checkout").isNotNull();

      JsonNode detail = get(base + "/api/v1/incidents/" + incident.get("id").asText());
      assertThat(detail.get("series").toString()).contains("checkout");
      assertThat(detail.get("timeline")).isNotEmpty();
      assertThat(sentinel.printed("incident " + incident.get("id").asText() + " opened")).isTrue();

      JsonNode health = get(base + "/health/detailed");
      assertThat(health.at("/components/demo/status").asText()).isEqualTo("UP");
      assertThat(health.at("/components/detection/details/points").asLong()).isPositive();
    }
  }
}
