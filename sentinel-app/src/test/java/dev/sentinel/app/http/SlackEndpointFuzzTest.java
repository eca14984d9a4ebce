package dev.sentinel.app.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sentinel.notifier.SlackSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /api/v1/slack/interactions} over real HTTP, open to anyone: unsigned and forged
 * bodies, and bodies correctly signed with the test's secret so the fuzzer reaches the payload.
 */
class SlackEndpointFuzzTest extends EndpointFuzzing {

  private static final SlackSignature SIGNATURE =
      new SlackSignature(EdgeServer.SLACK_SECRET, java.time.Clock.systemUTC());

  @FuzzTest(maxExecutions = 10_000, maxDuration = "90s")
  void any_body_gets_an_answer_below_500_and_a_refused_one_changes_nothing(FuzzedDataProvider data)
      throws Exception {
    System.setProperty("fuzz.endpoint", "/api/v1/slack/interactions");
    int signing = 2 - data.consumeInt(0, 2);
    String body;
    if (!data.consumeBoolean()) {
      String payload =
          "{\"type\":\"block_actions\",\"user\":{\"id\":\""
              + either(data, "U0ALICE", 12)
              + "\"},\"actions\":[{\"action_id\":\""
              + either(data, "sentinel_approve", 20)
              + "\",\"value\":\""
              + either(data, "inc-1", 20)
              + "\"}],\"response_url\":\"\"}"
              + data.consumeString(16);
      body = "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    } else {
      body = data.consumeRemainingAsString();
    }
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String signature = signing == 2 ? sign(timestamp, body) : "v0=00";
    var request =
        post("/api/v1/slack/interactions", body.getBytes(StandardCharsets.UTF_8))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (signing > 0) {
      request.header("X-Slack-Request-Timestamp", timestamp);
      request.header("X-Slack-Signature", signature);
    }
    byte[] sent = body.getBytes(StandardCharsets.UTF_8);
    check(
        () -> {
          String read =
              new String(
                  RequestBodies.read(
                      stream(sent),
                      sent.length,
                      RequestBodies.Encoding.IDENTITY,
                      dev.sentinel.app.config.BodyLimits.defaults().slack(),
                      "slack"),
                  StandardCharsets.UTF_8);
          var verdict =
              SIGNATURE.check(signing > 0 ? timestamp : null, signing > 0 ? signature : null, read);
          if (verdict == SlackSignature.Verdict.VALID) {
            SlackInteractions.payload(read);
          }
        },
        request);
  }

  private static String sign(String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(EdgeServer.SLACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    return "v0=" + java.util.HexFormat.of().formatHex(digest);
  }
}
