package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/slack/manifest.yaml} against what Sentinel serves and calls: its interactivity URL
 * reaches the real Slack endpoint (a request signed as Slack signs answers 200), and its bot scopes
 * cover every Web API method the Slack notifier calls.
 */
class SlackManifestTest {

  private static final Path MANIFEST = Path.of("..", "deploy", "slack", "manifest.yaml");
  private static final Path NOTIFIER =
      Path.of(
          "..",
          "sentinel-notify",
          "src",
          "main",
          "java",
          "dev",
          "sentinel",
          "notifier",
          "SlackNotifier.java");

  private final JsonNode manifest = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(MANIFEST.toFile());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + MANIFEST, e);
    }
  }

  @Test
  void the_interactivity_url_is_the_endpoint_sentinel_serves_for_signed_clicks() throws Exception {
    JsonNode interactivity = manifest.at("/settings/interactivity");
    assertThat(interactivity.get("is_enabled").asBoolean()).isTrue();
    assertThat(manifest.at("/settings/socket_mode_enabled").asBoolean())
        .as("Sentinel takes clicks over HTTPS, not Socket Mode")
        .isFalse();
    URI url = URI.create(interactivity.get("request_url").asText());
    assertThat(url.getScheme()).isEqualTo("https");
    String body =
        "payload="
            + URLEncoder.encode(
                "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[]}",
                StandardCharsets.UTF_8);
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    try (EdgeServer server = new EdgeServer()) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.base + url.getPath()))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .header("X-Slack-Request-Timestamp", timestamp)
                      .header("X-Slack-Signature", sign(timestamp, body))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("not a Sentinel button");
    }
  }

  @Test
  void the_bot_scopes_cover_every_web_api_method_the_notifier_calls() throws Exception {
    List<String> scopes = new ArrayList<>();
    manifest.at("/oauth_config/scopes/bot").forEach(scope -> scopes.add(scope.asText()));
    List<String> methods = new ArrayList<>();
    Matcher call =
        Pattern.compile("\"(chat|conversations|files|reactions)\\.([a-zA-Z]+)\"")
            .matcher(Files.readString(NOTIFIER));
    while (call.find()) {
      methods.add(call.group(1) + "." + call.group(2));
    }
    assertThat(methods).as("Web API methods in SlackNotifier").isNotEmpty();
    for (String method : methods) {
      assertThat(scopes).as("the scope %s needs", method).contains(scopeOf(method));
    }
    assertThat(scopes).contains("incoming-webhook");
  }

  /** The bot scope each Web API method Sentinel may call needs (Slack's method reference). */
  private static String scopeOf(String method) {
    return switch (method) {
      case "chat.postMessage", "chat.update" -> "chat:write";
      default -> throw new AssertionError(method + " has no scope listed here: add it");
    };
  }

  private static String sign(String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(EdgeServer.SLACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    return "v0=" + HexFormat.of().formatHex(digest);
  }
}
