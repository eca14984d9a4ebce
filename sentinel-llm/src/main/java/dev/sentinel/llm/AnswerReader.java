package dev.sentinel.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns a model's final text into a typed, validated value, or explains what is wrong so the model
 * can correct it. Only data is read from the text: nothing in it is ever executed.
 */
public interface AnswerReader<T> {

  /**
   * @throws LlmException.InvalidAnswer naming the first problem found
   */
  T read(String text);

  /** The JSON object in a model's text, tolerating a Markdown fence or a sentence around it. */
  static JsonNode json(ObjectMapper mapper, String text) {
    if (text == null) {
      throw new LlmException.InvalidAnswer("the answer was empty; reply with the JSON object");
    }
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end < start) {
      throw new LlmException.InvalidAnswer("the answer holds no JSON object");
    }
    try {
      return mapper.readTree(text.substring(start, end + 1));
    } catch (Exception e) {
      throw new LlmException.InvalidAnswer(
          "the answer is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** A required, non-blank text field. */
  static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new LlmException.InvalidAnswer(where + "." + field + " must be a non-empty string");
    }
    return value.asText();
  }
}
