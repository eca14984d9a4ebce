package dev.sentinel.app.config;

import java.util.Set;

/**
 * One model endpoint of {@code llm.providers}, tried in list order.
 *
 * @param name how logs and metrics call it, e.g. {@code groq}
 * @param kind {@code openai} (any OpenAI-compatible server: OpenAI, Groq, Ollama, vLLM, llama.cpp)
 *     or {@code anthropic}
 * @param baseUrl e.g. {@code https://api.groq.com/openai/v1}
 * @param apiKeyEnv the name of the environment variable that holds the key (the key itself never
 *     sits in the file); empty for servers without keys such as Ollama. Not a {@code SENTINEL_*}
 *     name: those are read as configuration keys.
 * @param timeoutSeconds per call; a call that takes longer is retried, then the next provider tries
 * @param retries further attempts of a failed call
 * @param pricePer1kInput US dollars per 1000 prompt tokens, for cost estimates and budgets
 * @param pricePer1kOutput US dollars per 1000 completion tokens
 */
public record LlmProviderConfig(
    String name,
    String kind,
    String baseUrl,
    String model,
    String apiKeyEnv,
    int timeoutSeconds,
    int retries,
    double pricePer1kInput,
    double pricePer1kOutput) {

  private static final Set<String> KINDS = Set.of("openai", "anthropic");

  public LlmProviderConfig {
    apiKeyEnv = apiKeyEnv == null ? "" : apiKeyEnv;
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be openai or anthropic, was " + kind);
    }
    if (baseUrl == null || baseUrl.isBlank() || model == null || model.isBlank()) {
      throw new IllegalArgumentException("provider " + name + " needs baseUrl and model");
    }
    if (timeoutSeconds < 1 || retries < 0 || retries > 5) {
      throw new IllegalArgumentException(
          "provider " + name + ": timeoutSeconds must be >= 1 and retries 0..5");
    }
    if (!(pricePer1kInput >= 0) || !(pricePer1kOutput >= 0)) {
      throw new IllegalArgumentException("provider " + name + ": prices must be >= 0");
    }
    if (apiKeyEnv.startsWith("SENTINEL_")) {
      throw new IllegalArgumentException(
          "provider " + name + ": apiKeyEnv must not start with SENTINEL_ (read as config keys)");
    }
  }
}
