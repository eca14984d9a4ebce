package dev.sentinel.app.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sentinel.app.ingest.JsonPointDecoder;
import java.nio.charset.StandardCharsets;

/** {@code POST /api/v1/metrics} over real HTTP: JSON batches, plain or gzip, well formed or not. */
class MetricsEndpointFuzzTest extends EndpointFuzzing {

  @FuzzTest(maxExecutions = 10_000, maxDuration = "90s")
  void any_body_gets_an_answer_below_500_and_a_refused_one_changes_nothing(FuzzedDataProvider data)
      throws Exception {
    System.setProperty("fuzz.endpoint", "/api/v1/metrics");
    int encoding = data.consumeInt(0, 2);
    byte[] body;
    if (!data.consumeBoolean()) {
      // A point whose fields are the fuzzer's, unescaped: anything from valid to broken JSON.
      String point =
          "{\"name\":\""
              + either(data, "cpu_seconds", 24)
              + "\",\"labels\":{\""
              + either(data, "service", 16)
              + "\":\""
              + either(data, "api", 16)
              + "\"},\"timestamp\":"
              + either(data, "null", 32)
              + ",\"value\":"
              + either(data, "1.5", 24)
              + "}";
      int copies = data.consumeInt(1, 3);
      body =
          ("{\"points\":["
                  + String.join(",", java.util.Collections.nCopies(copies, point))
                  + "]}"
                  + data.consumeRemainingAsString())
              .getBytes(StandardCharsets.UTF_8);
    } else {
      body = data.consumeRemainingAsBytes();
    }
    byte[] sent = encoding == 1 ? gzip(body) : body;
    var request = post("/api/v1/metrics", sent);
    request.header("Content-Type", "application/json");
    if (encoding > 0) {
      request.header("Content-Encoding", "gzip"); // 2: a plain body that claims to be gzip
    }
    RequestBodies.Encoding claimed =
        encoding > 0 ? RequestBodies.Encoding.GZIP : RequestBodies.Encoding.IDENTITY;
    check(
        () -> {
          try (var in = RequestBodies.open(stream(sent), sent.length, claimed, LIMIT, "metrics")) {
            publish(new JsonPointDecoder(server.series, server.clock).stage(in));
          }
        },
        request);
  }
}
