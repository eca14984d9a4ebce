package dev.sentinel.app.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** {@code POST /api/v1/alerts/alertmanager} over real HTTP: Alertmanager's webhook, or not. */
class AlertmanagerEndpointFuzzTest extends EndpointFuzzing {

  @FuzzTest(maxExecutions = 10_000, maxDuration = "90s")
  void any_body_gets_an_answer_below_500_and_a_refused_one_changes_nothing(FuzzedDataProvider data)
      throws Exception {
    System.setProperty("fuzz.endpoint", "/api/v1/alerts/alertmanager");
    byte[] body;
    if (!data.consumeBoolean()) {
      body =
          ("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\""
                  + (data.consumeBoolean() ? "resolved" : "firing")
                  + "\",\"labels\":{\"alertname\":\""
                  + either(data, "CheckoutSlow", 16)
                  + "\",\""
                  + either(data, "service", 12)
                  + "\":\""
                  + either(data, "checkout", 12)
                  + "\"},\"annotations\":{},\"startsAt\":\""
                  + either(data, "2026-01-01T00:00:00Z", 32)
                  + "\",\"endsAt\":\""
                  + either(data, "2026-01-01T00:05:00Z", 32)
                  + "\",\"fingerprint\":\""
                  + either(data, "f00d", 16)
                  + "\"}]}"
                  + data.consumeRemainingAsString())
              .getBytes(StandardCharsets.UTF_8);
    } else {
      body = data.consumeRemainingAsBytes();
    }
    byte[] sent = body;
    check(
        () -> {
          byte[] plain =
              RequestBodies.read(
                  stream(sent),
                  sent.length,
                  RequestBodies.Encoding.IDENTITY,
                  LIMIT,
                  "alertmanager");
          for (var alert : AlertmanagerPayload.parse(plain)) {
            server.correlator.accept(alert, server.clock.millis());
          }
        },
        post("/api/v1/alerts/alertmanager", body).header("Content-Type", "application/json"));
  }
}
