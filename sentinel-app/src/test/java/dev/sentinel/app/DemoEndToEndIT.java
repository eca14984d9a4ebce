package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code sentinel run --demo} as a user would (a real process from the packaged jar) and
 * watches, over real HTTP, the demo's first injected fault being detected and opening an incident.
 */
class DemoEndToEndIT {

  private static final String ADMIN = "snt_demo_test_admin_key_0123456789abcdef";

  @TempDir Path dataDir;

  @Test
  void the_demo_injects_a_fault_that_is_detected_and_opens_an_incident() throws Exception {
    try (SentinelProcess sentinel =
        SentinelProcess.start(
            Map.of("SENTINEL_DEMO_FIRST_FAULT_SECONDS", "2", "SENTINEL_ADMIN_KEY", ADMIN),
            "run",
            "--demo",
            "--port",
            "0",
            "--data-dir",
            dataDir.toString())) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(Duration.ofSeconds(60)), ADMIN);
      assertThat(api.get("/health").body().get("status").asText()).isEqualTo("UP");

      // The first fault of the rotation is an error burst in checkout.
      JsonNode leak =
          api.await(
              "/api/v1/anomalies?since=10m&series=error_rate",
              body -> checkoutLeak(body) != null,
              Duration.ofSeconds(120));
      JsonNode anomaly = checkoutLeak(leak);
      assertThat(sentinel.printed("injected fault #1: ERROR_BURST in checkout"))
          .as(sentinel.log())
          .isTrue();
      assertThat(anomaly.get("value").asDouble())
          .isGreaterThan(anomaly.at("/expected/high").asDouble());
      assertThat(anomaly.get("confidence").asDouble()).isBetween(0.0, 1.0);
      assertThat(anomaly.get("detectors")).isNotEmpty();

      JsonNode incidents =
          api.await(
              "/api/v1/incidents?service=checkout",
              body -> body.get("count").asInt() > 0,
              Duration.ofSeconds(30));
      String id = incidents.at("/incidents/0/id").asText();
      // The incident is listed as soon as it is stored; its "opened" entry follows a moment later.
      JsonNode detail =
          api.await(
              "/api/v1/incidents/" + id,
              body -> !body.get("timeline").isEmpty(),
              Duration.ofSeconds(30));
      assertThat(detail.get("series").toString()).contains("checkout");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!sentinel.printed("incident " + id + " opened") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(sentinel.printed("incident " + id + " opened")).as(sentinel.log()).isTrue();

      JsonNode health = api.get("/health/detailed").body();
      assertThat(health.at("/components/demo/status").asText()).isEqualTo("UP");
      assertThat(health.at("/components/detection/details/points").asLong()).isPositive();

      // The back-filled history went through the writer into the embedded DuckDB store.
      assertThat(health.at("/components/telemetryStore/status").asText()).isEqualTo("UP");
      String series =
          URLEncoder.encode(
              "error_rate{env=\"demo\",host=\"checkout-1\",service=\"checkout\"}",
              StandardCharsets.UTF_8);
      JsonNode history =
          api.await(
              "/api/v1/series/history?series=" + series + "&since=6h&step=1h",
              body -> body.get("buckets").size() >= 5,
              Duration.ofSeconds(30));
      assertThat(history.at("/percentiles/count").asLong()).isGreaterThanOrEqualTo(300);
      assertThat(
              api.get("/api/v1/series/baseline?series=" + series + "&value=0.5")
                  .body()
                  .get("verdict")
                  .asText())
          .isEqualTo("unusual");
    }
  }

  private static JsonNode checkoutLeak(JsonNode body) {
    for (JsonNode anomaly : body.get("anomalies")) {
      if ("checkout".equals(anomaly.at("/labels/service").asText())
          && "up".equals(anomaly.get("direction").asText())
          && anomaly.get("value").asDouble() > anomaly.at("/expected/high").asDouble()) {
        return anomaly;
      }
    }
    return null;
  }
}
