package dev.sentinel.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.sentinel.trace.RequestIds;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One model endpoint in the fallback chain.
 *
 * @param name how logs, metrics and analyses call it, e.g. {@code groq}
 * @param baseUrl e.g. {@code https://api.groq.com/openai/v1} or {@code http://localhost:11434/v1}
 * @param apiKey the key itself (read from the environment by the caller); blank for local servers
 * @param retries further attempts of one call after a failure or timeout, before the next provider
 * @param pricePer1kInput US dollars per 1000 prompt tokens, for the cost estimate and budgets
 * @param pricePer1kOutput US dollars per 1000 completion tokens
 */
public record ProviderSettings(
    String name,
    ProviderKind kind,
    String baseUrl,
    String model,
    String apiKey,
    Duration timeout,
    int retries,
    double pricePer1kInput,
    double pricePer1kOutput) {

  /** Enough for an analysis in JSON; a bound on what one call can cost. */
  private static final int MAX_OUTPUT_TOKENS = 2048;

  public ProviderSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(timeout, "timeout");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a provider needs a name");
    }
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("provider " + name + " needs a baseUrl");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("provider " + name + " needs a model");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("provider " + name + ": timeout must be positive");
    }
    if (retries < 0 || retries > 5) {
      throw new IllegalArgumentException("provider " + name + ": retries must be 0..5");
    }
    if (!(pricePer1kInput >= 0) || !(pricePer1kOutput >= 0)) {
      throw new IllegalArgumentException("provider " + name + ": prices must be >= 0");
    }
    apiKey = apiKey == null ? "" : apiKey;
  }

  /** Estimated US dollars for one call's tokens. */
  public double cost(long inputTokens, long outputTokens) {
    return inputTokens / 1000.0 * pricePer1kInput + outputTokens / 1000.0 * pricePer1kOutput;
  }

  /** The request id of the work asking (an incident's workflow step), as a header per call. */
  private static Map<String, String> requestIdHeader() {
    return Map.of(RequestIds.HEADER, RequestIds.currentOrNew());
  }

  /**
   * A LangChain4j model for this endpoint. Its own retries are off: {@link Conversation} retries,
   * so that every attempt is counted and a timeout moves on to the next provider predictably.
   */
  public ChatModel connect() {
    // Local servers (Ollama, llama.cpp) ignore the key, but the clients refuse a blank one.
    String key = apiKey.isBlank() ? "none" : apiKey;
    return switch (kind) {
      case OPENAI ->
          OpenAiChatModel.builder()
              .baseUrl(baseUrl)
              .apiKey(key)
              .modelName(model)
              .timeout(timeout)
              .maxRetries(0)
              .maxTokens(MAX_OUTPUT_TOKENS)
              .temperature(0.0)
              .customHeaders(ProviderSettings::requestIdHeader)
              .build();
      case ANTHROPIC ->
          AnthropicChatModel.builder()
              .baseUrl(baseUrl)
              .apiKey(key)
              .modelName(model)
              .timeout(timeout)
              .maxRetries(0)
              .maxTokens(MAX_OUTPUT_TOKENS)
              .temperature(0.0)
              .customHeaders(ProviderSettings::requestIdHeader)
              .build();
    };
  }
}
