package dev.sentinel.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Local HTTP endpoints standing in for Slack, PagerDuty and a webhook receiver: every request is
 * kept by path, with its headers; a path can be told to fail its first few requests.
 */
final class LocalReceivers implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Received(Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private final HttpServer server;
  private final Map<String, List<Received>> byPath = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

  LocalReceivers() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> headers = new ConcurrentHashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
          byPath
              .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
              .add(new Received(headers, body));
          AtomicInteger failing = failures.get(path);
          int status = failing != null && failing.getAndDecrement() > 0 ? 503 : 200;
          byte[] answer = (status == 200 ? "ok" : "try later").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void failFirst(String path, int times) {
    failures.put(path, new AtomicInteger(times));
  }

  List<Received> received(String path) {
    return byPath.getOrDefault(path, List.of());
  }

  /** Waits until a request to {@code path} matches, and returns it. */
  Received await(String path, Predicate<Received> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Received received : received(path)) {
        if (match.test(received)) {
          return received;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "nothing matching arrived at " + path + " within " + timeout + "; got " + received(path));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
