package dev.sentinel.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.EmbeddingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Embeddings from any server that speaks OpenAI's {@code POST /v1/embeddings} (OpenAI, Ollama,
 * vLLM, LocalAI, text-embeddings-inference): {@code {"model", "input"}} in, {@code
 * {"data":[{"embedding":[...]}]}} out. Thread-safe (one shared {@link HttpClient}).
 *
 * @see Settings
 */
public final class OpenAiCompatibleEmbedder implements Embedder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Settings settings;
  private final URI endpoint;
  private final HttpClient http;

  /**
   * @param baseUrl the API root including its version, e.g. {@code https://api.openai.com/v1}
   * @param apiKey sent as a bearer token; {@code null} or blank for servers without keys
   * @param dimensions the length of the model's vectors (384 for all-MiniLM-L6-v2, 1536 for
   *     text-embedding-3-small): checked on every answer, since the index is built for one length
   */
  public record Settings(
      String baseUrl, String model, String apiKey, int dimensions, Duration timeout) {
    public Settings {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(timeout, "timeout");
      if (dimensions < 1) {
        throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions);
      }
    }
  }

  public OpenAiCompatibleEmbedder(Settings settings) {
    this.settings = settings;
    String base = settings.baseUrl().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/embeddings");
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public float[] embed(String text) {
    ObjectNode body = JSON.createObjectNode().put("model", settings.model()).put("input", text);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
      request.header("Authorization", "Bearer " + settings.apiKey());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new EmbeddingException("the embeddings API at " + endpoint + " is unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while waiting for " + endpoint, e);
    }
    if (response.statusCode() != 200) {
      throw new EmbeddingException(
          "the embeddings API at "
              + endpoint
              + " answered "
              + response.statusCode()
              + ": "
              + errorMessage(response.body()));
    }
    return vector(response.body());
  }

  private float[] vector(String body) {
    JsonNode embedding;
    try {
      embedding = JSON.readTree(body).path("data").path(0).path("embedding");
    } catch (IOException e) {
      throw new EmbeddingException("the embeddings API at " + endpoint + " sent no JSON", e);
    }
    if (!embedding.isArray()) {
      throw new EmbeddingException(
          "the embeddings API at " + endpoint + " sent no data[0].embedding array");
    }
    if (embedding.size() != settings.dimensions()) {
      throw new EmbeddingException(
          "model "
              + settings.model()
              + " returned "
              + embedding.size()
              + " dimensions, configured "
              + settings.dimensions());
    }
    float[] vector = new float[embedding.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) embedding.get(i).asDouble();
    }
    return vector;
  }

  /** OpenAI's error shape is {@code {"error":{"message":...}}}; others send text. */
  private static String errorMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("error").path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (IOException e) {
      // Not JSON: the body itself is the best description there is.
    }
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }

  @Override
  public int dimensions() {
    return settings.dimensions();
  }

  @Override
  public String model() {
    return settings.model() + " at " + endpoint;
  }
}
