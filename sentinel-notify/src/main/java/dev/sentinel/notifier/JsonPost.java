package dev.sentinel.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.trace.RequestIds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One JSON POST and what its answer means for delivery: 2xx is sent; 408, 429 and 5xx, timeouts and
 * refused connections are worth a retry (429 and 503 with the receiver's Retry-After); any other
 * 4xx is the request's own fault and retrying cannot help.
 */
final class JsonPost {

  static final ObjectMapper JSON = new ObjectMapper();

  /** What the receiver answered, for notifiers that read the body (Slack's Web API). */
  record Answer(int status, String body, DeliveryResult result) {}

  private final HttpClient client;
  private final Duration timeout;

  JsonPost(Duration timeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timeout = timeout;
  }

  static String json(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
    }
  }

  Answer send(String url, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "sentinel")
            .header(RequestIds.HEADER, RequestIds.currentOrNew())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Answer(0, "", new DeliveryResult.Transient(host(url) + ": " + e, 0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "", new DeliveryResult.Transient("interrupted", 0));
    }
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    String summary = "HTTP " + status + (text.isBlank() ? "" : ": " + abbreviate(text));
    DeliveryResult result;
    if (status >= 200 && status < 300) {
      result = new DeliveryResult.Sent(summary);
    } else if (status == 408 || status == 429 || status >= 500) {
      result = new DeliveryResult.Transient(summary, retryAfterMillis(response));
    } else {
      result = new DeliveryResult.Permanent(summary);
    }
    return new Answer(status, text, result);
  }

  /** Retry-After in seconds (the HTTP-date form is rare from these receivers: backoff decides). */
  private static long retryAfterMillis(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(String::strip)
        .filter(value -> value.matches("\\d{1,6}"))
        .map(seconds -> Long.parseLong(seconds) * 1000)
        .orElse(0L);
  }

  private static String host(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  private static String abbreviate(String text) {
    String line = text.strip().replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
