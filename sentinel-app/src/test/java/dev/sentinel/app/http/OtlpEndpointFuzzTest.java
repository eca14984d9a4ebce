package dev.sentinel.app.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sentinel.app.ingest.OtlpMetricsDecoder;
import java.nio.charset.StandardCharsets;

/** OTLP {@code POST /v1/metrics} over real HTTP: protobuf or JSON, plain or gzip. */
class OtlpEndpointFuzzTest extends EndpointFuzzing {

  @FuzzTest(maxExecutions = 10_000, maxDuration = "90s")
  void any_body_gets_an_answer_below_500_and_a_refused_one_changes_nothing(FuzzedDataProvider data)
      throws Exception {
    System.setProperty("fuzz.endpoint", "/v1/metrics");
    boolean json = !data.consumeBoolean();
    boolean gzip = data.consumeBoolean();
    byte[] body;
    if (json && !data.consumeBoolean()) {
      body =
          ("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\""
                  + either(data, "service.name", 16)
                  + "\",\"value\":{\"stringValue\":\""
                  + either(data, "checkout", 16)
                  + "\"}}]},\"scopeMetrics\":[{\"metrics\":[{\"name\":\""
                  + either(data, "http.server.duration", 24)
                  + "\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\""
                  + either(data, System.currentTimeMillis() + "000000", 24)
                  + "\",\"asDouble\":"
                  + either(data, "2.5", 24)
                  + "}]}}]}]}]}"
                  + data.consumeRemainingAsString())
              .getBytes(StandardCharsets.UTF_8);
    } else {
      body = data.consumeRemainingAsBytes();
    }
    byte[] sent = gzip ? gzip(body) : body;
    var request =
        post("/v1/metrics", sent)
            .header("Content-Type", json ? "application/json" : "application/x-protobuf");
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    check(
        () -> {
          byte[] plain =
              RequestBodies.read(
                  stream(sent),
                  sent.length,
                  gzip ? RequestBodies.Encoding.GZIP : RequestBodies.Encoding.IDENTITY,
                  LIMIT,
                  "otlp");
          var parsed =
              json
                  ? OtlpMetricsDecoder.parseJson(new String(plain, StandardCharsets.UTF_8))
                  : OtlpMetricsDecoder.parseProtobuf(plain);
          publish(
              new OtlpMetricsDecoder(server.series, server.clock, true, 1000)
                  .decode(parsed)
                  .staged());
        },
        request);
  }
}
