package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The malformed inputs of issue 18, each answered with a 400 that names the problem, never a 500,
 * and none of them changes the points, incidents or series. Also: a refused batch registers none of
 * its series, and the console's and health's answers carry what they should.
 */
class EdgeMalformedInputTest {

  private static EdgeServer server;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = new EdgeServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> post(String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void refused(String path, String body, String expected, String... headers)
      throws Exception {
    refused(path, body.getBytes(StandardCharsets.UTF_8), expected, headers);
  }

  private static void refused(String path, byte[] body, String expected, String... headers)
      throws Exception {
    EdgeServer.State before = server.state();
    HttpResponse<String> response = post(path, body, headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains(expected);
    assertThat(server.state()).isEqualTo(before);
  }

  private static String point(String timestamp, String value) {
    return "{\"points\":[{\"name\":\"cpu\",\"timestamp\":"
        + timestamp
        + ",\"value\":"
        + value
        + "}]}";
  }

  @Test
  void numbers_beyond_long_and_of_a_thousand_digits_are_refused_with_400() throws Exception {
    refused(
        "/api/v1/metrics",
        point("99999999999999999999999", "1"),
        "does not fit epoch milliseconds");
    refused("/api/v1/metrics", point("1", "1" + "0".repeat(1000)), "parser limit");
  }

  @Test
  void nesting_deeper_than_the_limit_is_refused_with_400() throws Exception {
    String deep = "[".repeat(1500) + "]".repeat(1500);
    refused("/api/v1/metrics", deep, "parser limit");
    refused("/api/v1/alerts/alertmanager", "{\"a\":" + deep + "}", "parser limit");
  }

  @Test
  void timestamps_past_any_calendar_are_refused_with_400() throws Exception {
    refused("/api/v1/metrics", point("\"+999999999-01-01T00:00:00Z\"", "1"), "out of range");
    String alert =
        "{\"version\":\"4\",\"alerts\":[{\"status\":\"resolved\",\"labels\":{\"alertname\":\"A\"},"
            + "\"startsAt\":\"+999999999-01-01T00:00:00Z\",\"endsAt\":\"+999999999-01-01T00:00:00Z\","
            + "\"fingerprint\":\"f1\"}]}";
    refused("/api/v1/alerts/alertmanager", alert, "between 1970 and 9999");
  }

  @Test
  void a_body_that_claims_gzip_but_is_plain_or_truncated_is_refused_with_400() throws Exception {
    String batch = point("null", "1");
    refused("/api/v1/metrics", batch, "not valid gzip", "Content-Encoding", "gzip");
    byte[] gzip = EndpointFuzzing.gzip(batch.getBytes(StandardCharsets.UTF_8));
    byte[] truncated = Arrays.copyOf(gzip, gzip.length - 12);
    refused("/api/v1/metrics", truncated, "not valid gzip", "Content-Encoding", "gzip");
    refused("/v1/metrics", "{}", "not valid gzip", "Content-Encoding", "gzip");
  }

  @Test
  void trailing_data_and_a_second_document_are_refused_with_400() throws Exception {
    String batch = point("null", "1");
    refused("/api/v1/metrics", batch + " 42", "trailing data");
    refused("/api/v1/metrics", batch + " garbage", "Unrecognized token 'garbage'");
    refused("/api/v1/metrics", batch + batch, "trailing data");
  }

  @Test
  void a_refused_batch_registers_none_of_its_series() throws Exception {
    StringBuilder batch = new StringBuilder("{\"points\":[");
    for (int i = 0; i < 1000; i++) {
      batch.append("{\"name\":\"fresh_").append(i).append("\",\"value\":1},");
    }
    batch.append("{\"name\":\"broken\",\"value\":\"x\"}]}");
    refused("/api/v1/metrics", batch.toString(), "value must be a finite number");

    int series = server.state().series();
    HttpResponse<String> accepted =
        post("/api/v1/metrics", point("null", "1").getBytes(StandardCharsets.UTF_8));
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(server.state().series()).isEqualTo(series + 1);
  }

  @Test
  void the_console_is_served_with_a_content_security_policy_and_may_not_be_framed()
      throws Exception {
    for (String path : new String[] {"/console", "/console/console.js"}) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(server.base + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'"));
      assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }
  }
}
