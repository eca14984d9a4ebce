package dev.sentinel.llm;

/** The wire protocol a provider speaks. */
public enum ProviderKind {
  /** OpenAI chat completions: OpenAI, Groq, Ollama, vLLM, llama.cpp server, ... */
  OPENAI,
  /** Anthropic's messages API. */
  ANTHROPIC
}
