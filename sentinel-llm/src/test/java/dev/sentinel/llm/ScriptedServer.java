package dev.sentinel.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A local model server that plays a script: each request gets the next scripted reply, in the
 * OpenAI chat-completions or Anthropic messages wire format. Token usage is estimated the way
 * providers roughly count, one token per four characters: of the request Sentinel really sent, and
 * of the scripted reply's content. Records every request body.
 */
final class ScriptedServer implements AutoCloseable {

  enum Protocol {
    OPENAI,
    ANTHROPIC
  }

  /**
   * One scripted reply: final text, or tool calls (name and JSON arguments), after a delay; with
   * {@code stallsBody}, the headers are sent at once and the delay falls between them and the body.
   */
  record Reply(String text, List<String[]> toolCalls, long delayMillis, boolean stallsBody) {
    Reply(String text, List<String[]> toolCalls, long delayMillis) {
      this(text, toolCalls, delayMillis, false);
    }

    static Reply text(String text) {
      return new Reply(text, List.of(), 0);
    }

    static Reply tools(String... nameThenArguments) {
      List<String[]> calls = new ArrayList<>();
      for (int i = 0; i < nameThenArguments.length; i += 2) {
        calls.add(new String[] {nameThenArguments[i], nameThenArguments[i + 1]});
      }
      return new Reply(null, calls, 0);
    }

    Reply delayed(long millis) {
      return new Reply(text, toolCalls, millis);
    }

    /** Headers at once, then nothing for {@code millis}, then the body. */
    Reply stallingBody(long millis) {
      return new Reply(text, toolCalls, millis, true);
    }
  }

  /** What one exchange cost, as the server reported it. */
  record Usage(int inputTokens, int outputTokens) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Protocol protocol;
  private final HttpServer server;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();
  private final List<String> requestIds = new ArrayList<>();
  private final List<Usage> usages = new ArrayList<>();
  private int ids;

  ScriptedServer(Protocol protocol, Reply... replies) throws IOException {
    this.protocol = protocol;
    script.addAll(List.of(replies));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    // Virtual threads: a delayed reply must not hold up the next attempt's connection.
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  /** The base URL to configure: the clients append {@code chat/completions} or {@code messages}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/";
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** The X-Request-ID header of each request, in order ("" where it was absent). */
  synchronized List<String> requestIds() {
    return List.copyOf(requestIds);
  }

  synchronized List<Usage> usages() {
    return List.copyOf(usages);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Reply reply;
    synchronized (this) {
      requests.add(body);
      String requestId = exchange.getRequestHeaders().getFirst("X-Request-ID");
      requestIds.add(requestId == null ? "" : requestId);
      reply = script.poll();
    }
    if (reply == null) {
      send(exchange, 500, "{\"error\": {\"message\": \"script exhausted\"}}");
      return;
    }
    if (reply.stallsBody()) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().flush();
    }
    if (reply.delayMillis() > 0) {
      try {
        Thread.sleep(reply.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int output = reply.text() != null ? reply.text().length() / 4 + 1 : 0;
    for (String[] call : reply.toolCalls()) {
      output += (call[0].length() + call[1].length()) / 4 + 1;
    }
    Usage usage = new Usage(body.length() / 4, output);
    synchronized (this) {
      usages.add(usage);
    }
    String answer = protocol == Protocol.OPENAI ? openAi(reply, usage) : anthropic(reply, usage);
    if (reply.stallsBody()) {
      try (exchange) {
        exchange.getResponseBody().write(answer.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The client gave up (its timeout): nothing left to answer.
      }
      return;
    }
    send(exchange, 200, answer);
  }

  private String openAi(Reply reply, Usage usage) throws IOException {
    ObjectNode root = json.createObjectNode();
    root.put("id", "chatcmpl-" + ++ids).put("object", "chat.completion").put("created", 0);
    root.put("model", "scripted");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (reply.text() != null) {
      message.put("content", reply.text());
      choice.put("finish_reason", "stop");
    } else {
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      for (String[] call : reply.toolCalls()) {
        ObjectNode entry = calls.addObject().put("id", "call_" + ++ids).put("type", "function");
        entry.putObject("function").put("name", call[0]).put("arguments", call[1]);
      }
      choice.put("finish_reason", "tool_calls");
    }
    root.putObject("usage")
        .put("prompt_tokens", usage.inputTokens())
        .put("completion_tokens", usage.outputTokens())
        .put("total_tokens", usage.inputTokens() + usage.outputTokens());
    return json.writeValueAsString(root);
  }

  private String anthropic(Reply reply, Usage usage) throws IOException {
    ObjectNode root = json.createObjectNode();
    root.put("id", "msg_" + ++ids).put("type", "message").put("role", "assistant");
    root.put("model", "scripted");
    ArrayNode content = root.putArray("content");
    if (reply.text() != null) {
      content.addObject().put("type", "text").put("text", reply.text());
      root.put("stop_reason", "end_turn");
    } else {
      for (String[] call : reply.toolCalls()) {
        ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_" + ++ids);
        use.put("name", call[0]).set("input", json.readTree(call[1]));
      }
      root.put("stop_reason", "tool_use");
    }
    root.putNull("stop_sequence");
    root.putObject("usage")
        .put("input_tokens", usage.inputTokens())
        .put("output_tokens", usage.outputTokens());
    return json.writeValueAsString(root);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      // The client gave up (its timeout): nothing left to answer.
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
