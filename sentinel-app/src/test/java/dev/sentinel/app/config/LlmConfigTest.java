package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmConfigTest {

  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("sentinel.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void llm_is_off_by_default() {
    LlmConfig llm = loader.load(null, Map.of()).llm();
    assertThat(llm.enabled()).isFalse();
    assertThat(llm.providers()).isEmpty();
    assertThat(llm.allowedTargets()).containsExactly("*");
  }

  @Test
  void a_provider_chain_is_read_from_the_file_with_environment_overrides() throws IOException {
    SentinelConfig config =
        loader.load(
            yaml(
                """
                llm:
                  enabled: true
                  maxSteps: 6
                  providers:
                    - {name: groq, kind: openai, baseUrl: "https://api.groq.com/openai/v1",
                       model: llama-3.3-70b-versatile, apiKeyEnv: GROQ_API_KEY,
                       timeoutSeconds: 20, retries: 1, pricePer1kInput: 0.00059,
                       pricePer1kOutput: 0.00079}
                    - {name: claude, kind: anthropic, baseUrl: "https://api.anthropic.com/v1/",
                       model: claude-sonnet-4-5, apiKeyEnv: ANTHROPIC_API_KEY,
                       timeoutSeconds: 30, retries: 0, pricePer1kInput: 0.003,
                       pricePer1kOutput: 0.015}
                """),
            Map.of("SENTINEL_LLM_DAILY_BUDGET_USD", "0.5"));
    LlmConfig llm = config.llm();
    assertThat(llm.enabled()).isTrue();
    assertThat(llm.maxSteps()).isEqualTo(6);
    assertThat(llm.dailyBudgetUsd()).isEqualTo(0.5);
    assertThat(llm.providers())
        .extracting(LlmProviderConfig::name)
        .containsExactly("groq", "claude");
    assertThat(llm.providers().get(1).kind()).isEqualTo("anthropic");
  }

  @Test
  void enabled_without_providers_fails_naming_the_key() throws IOException {
    assertThatThrownBy(() -> loader.load(yaml("llm:\n  enabled: true\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'llm'")
        .hasMessageContaining("providers must list at least one");
  }

  @Test
  void unknown_provider_kind_fails_naming_the_provider() throws IOException {
    assertThatThrownBy(
            () ->
                loader.load(
                    yaml(
                        "llm:\n  providers:\n    - {name: x, kind: gemini, baseUrl: u, model: m,"
                            + " timeoutSeconds: 5, retries: 0, pricePer1kInput: 0,"
                            + " pricePer1kOutput: 0}\n"),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("llm.providers[0]")
        .hasMessageContaining("kind must be openai or anthropic");
  }
}
