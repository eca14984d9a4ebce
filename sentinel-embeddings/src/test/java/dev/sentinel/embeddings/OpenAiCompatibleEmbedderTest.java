package dev.sentinel.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sentinel.memory.EmbeddingException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a JDK HTTP server that answers as OpenAI's {@code /v1/embeddings} does. */
class OpenAiCompatibleEmbedderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile int dimensions = 4;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/embeddings", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    requests.add(request);
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    String body;
    if (status != 200) {
      body =
          "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}";
    } else {
      // A vector derived from the input's length, so tests can tell answers apart.
      StringBuilder vector = new StringBuilder();
      for (int i = 0; i < dimensions; i++) {
        vector.append(i == 0 ? "" : ",").append(request.path("input").asText().length() + i * 0.5);
      }
      body =
          "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":["
              + vector
              + "]}],\"model\":\""
              + request.path("model").asText()
              + "\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private OpenAiCompatibleEmbedder embedder(String key) {
    return new OpenAiCompatibleEmbedder(
        new OpenAiCompatibleEmbedder.Settings(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/",
            "text-embedding-3-small",
            key,
            4,
            Duration.ofSeconds(5)));
  }

  @Test
  void sends_model_input_and_key_and_reads_the_vector() {
    float[] vector = embedder("sk-test").embed("checkout errors");

    assertThat(vector).containsExactly(15f, 15.5f, 16f, 16.5f);
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).path("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(requests.get(0).path("input").asText()).isEqualTo("checkout errors");
    assertThat(authorizations).containsExactly("Bearer sk-test");
  }

  @Test
  void sends_no_authorization_without_a_key() {
    embedder("").embed("x");
    assertThat(authorizations).containsExactly("null");
  }

  @Test
  void an_error_answer_names_the_status_and_the_server_message() {
    status = 401;
    assertThatThrownBy(() -> embedder("wrong").embed("x"))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("Incorrect API key provided");
  }

  @Test
  void a_vector_of_another_length_than_configured_is_refused() {
    dimensions = 3;
    assertThatThrownBy(() -> embedder(null).embed("x"))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("returned 3 dimensions, configured 4");
  }

  @Test
  void an_unreachable_server_is_an_embedding_failure() {
    server.stop(0);
    assertThatThrownBy(() -> embedder(null).embed("x"))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("unreachable");
  }
}
