package dev.sentinel.app.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A real HTTP client for the tests, sending an API key when given one. */
final class Http {

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  Http(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path, String key) throws Exception {
    return send(request(path, key).GET());
  }

  HttpResponse<String> post(String path, String body, String key) throws Exception {
    return send(
        request(path, key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> delete(String path, String key) throws Exception {
    return send(request(path, key).DELETE());
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpClient client() {
    return client;
  }

  HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request;
  }
}
