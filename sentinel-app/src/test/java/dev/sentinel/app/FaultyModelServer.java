package dev.sentinel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A model provider on 127.0.0.1 that misbehaves on cue, in the wire format of the provider kind
 * Sentinel is configured with: OpenAI chat completions ({@code POST /v1/chat/completions}, which
 * Ollama, vLLM and llama.cpp also serve) or Anthropic messages ({@code POST /v1/messages}). Each
 * request gets the next {@link Fault} of its script, the last one repeating; {@link Fault#DOWN}
 * answers nothing and closes the port, so every later connection is refused. Records when each
 * request arrived.
 */
final class FaultyModelServer implements AutoCloseable {

  enum Protocol {
    OPENAI,
    ANTHROPIC
  }

  /** What one request gets. */
  sealed interface Fault {
    /** Nothing, for longer than any configured timeout; the client must give up. */
    record Hang(Duration howLong) implements Fault {}

    /**
     * The headers at once, then nothing for {@code howLong}, then a valid reply: a stalled stream,
     * which the clients' own timeouts (on the headers only) do not see.
     */
    record StallsBody(Duration howLong) implements Fault {}

    /** A well-formed reply whose assistant text is {@code text} (broken or off-schema JSON). */
    record Says(String text) implements Fault {}

    /** A reply whose HTTP body is not valid JSON at all, as a truncated proxy answer is. */
    record BrokenBody(String body) implements Fault {}

    /** The server stops: this request's connection is dropped, later ones are refused. */
    Fault DOWN = new Down();

    record Down() implements Fault {}
  }

  /** One request as it arrived. */
  record Received(long atMillis, String path, Fault answeredWith) {}

  /** An analysis that validates: what a stalled reply finally says, too late to be used. */
  static final String VALID =
      "{\"summary\": \"checkout fails\", \"firstMover\": null, \"hypotheses\": [{\"cause\":"
          + " \"error-burst\", \"service\": \"checkout\", \"confidence\": 0.7, \"evidence\":"
          + " [\"error_rate of checkout rose\"]}]}";

  private final ObjectMapper json = new ObjectMapper();
  private final Protocol protocol;
  private final HttpServer server;
  private final List<Fault> script;
  private final List<Received> received = new ArrayList<>();
  private final int port;

  FaultyModelServer(Protocol protocol, Fault... script) {
    this.protocol = protocol;
    this.script = List.of(script);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    // A hanging reply must not hold up the next request: one virtual thread per exchange.
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    port = server.getAddress().getPort();
  }

  /** The base URL to configure, as for a local Ollama: {@code http://127.0.0.1:PORT/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Fault fault;
    synchronized (this) {
      fault = script.get(Math.min(received.size(), script.size() - 1));
      received.add(
          new Received(System.currentTimeMillis(), exchange.getRequestURI().getPath(), fault));
    }
    switch (fault) {
      case Fault.Hang hang -> {
        try {
          Thread.sleep(hang.howLong());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(exchange, 200, reply(VALID));
      }
      case Fault.StallsBody stall -> {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try (exchange) {
          exchange.sendResponseHeaders(200, 0);
          exchange.getResponseBody().flush();
          Thread.sleep(stall.howLong());
          exchange.getResponseBody().write(reply(VALID).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // The client gave up waiting: nobody left to answer.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case Fault.Says says -> send(exchange, 200, reply(says.text()));
      case Fault.BrokenBody broken -> send(exchange, 200, broken.body());
      case Fault.Down down -> {
        exchange.close();
        // Closes the listening socket and every connection: the port now refuses.
        server.stop(0);
      }
    }
  }

  private String reply(String text) throws IOException {
    ObjectNode root = json.createObjectNode();
    if (protocol == Protocol.OPENAI) {
      root.put("id", "chatcmpl-chaos").put("object", "chat.completion").put("created", 0);
      root.put("model", "chaos");
      ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", text);
      choice.put("finish_reason", "stop");
      root.putObject("usage")
          .put("prompt_tokens", 100)
          .put("completion_tokens", 10)
          .put("total_tokens", 110);
    } else {
      root.put("id", "msg_chaos").put("type", "message").put("role", "assistant");
      root.put("model", "chaos");
      root.putArray("content").addObject().put("type", "text").put("text", text);
      root.put("stop_reason", "end_turn").putNull("stop_sequence");
      root.putObject("usage").put("input_tokens", 100).put("output_tokens", 10);
    }
    return json.writeValueAsString(root);
  }

  private static void send(HttpExchange exchange, int status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      // The client gave up waiting (its timeout): nobody left to answer.
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
