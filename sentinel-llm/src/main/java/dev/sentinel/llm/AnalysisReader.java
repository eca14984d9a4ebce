package dev.sentinel.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.Hypothesis;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code {"summary", "firstMover", "hypotheses": [{"cause", "service", "confidence",
 * "evidence": [..]}]}}. Every hypothesis must cite evidence: an unexplained guess is worth less
 * than the rules' answer.
 */
final class AnalysisReader implements AnswerReader<Analysis> {

  static final String FORMAT =
      "{\"summary\": \"one or two sentences\", \"firstMover\": \"series that moved first or null\","
          + " \"hypotheses\": [{\"cause\": \"e.g. memory-leak, saturation, bad-deploy\","
          + " \"service\": \"name\", \"confidence\": 0.0-1.0, \"evidence\": [\"fact citing a"
          + " series, value or tool observation\"]}]}  (most likely hypothesis first, at most 5)";

  private static final int MAX_HYPOTHESES = 5;

  private final ObjectMapper json = new ObjectMapper();
  private final String analyst;

  /**
   * @param analyst the name the analysis carries, e.g. {@code llm:groq/llama-3.3-70b}
   */
  AnalysisReader(String analyst) {
    this.analyst = analyst;
  }

  @Override
  public Analysis read(String text) {
    JsonNode root = AnswerReader.json(json, text);
    String summary = AnswerReader.text(root, "summary", "answer");
    JsonNode list = root.get("hypotheses");
    if (list == null || !list.isArray()) {
      throw new LlmException.InvalidAnswer("answer.hypotheses must be an array");
    }
    if (list.size() > MAX_HYPOTHESES) {
      throw new LlmException.InvalidAnswer("at most " + MAX_HYPOTHESES + " hypotheses");
    }
    List<Hypothesis> hypotheses = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      hypotheses.add(hypothesis(list.get(i), "hypotheses[" + i + "]"));
    }
    JsonNode first = root.get("firstMover");
    String firstMover = first != null && first.isTextual() ? first.asText() : null;
    return new Analysis(summary, hypotheses, firstMover, analyst);
  }

  private static Hypothesis hypothesis(JsonNode node, String where) {
    String cause = AnswerReader.text(node, "cause", where);
    String service = AnswerReader.text(node, "service", where);
    JsonNode confidence = node.get("confidence");
    if (confidence == null
        || !confidence.isNumber()
        || !(confidence.asDouble() >= 0 && confidence.asDouble() <= 1)) {
      throw new LlmException.InvalidAnswer(where + ".confidence must be a number in [0,1]");
    }
    JsonNode evidence = node.get("evidence");
    if (evidence == null || !evidence.isArray() || evidence.isEmpty()) {
      throw new LlmException.InvalidAnswer(where + ".evidence must cite at least one fact");
    }
    List<String> facts = new ArrayList<>();
    for (JsonNode fact : evidence) {
      if (!fact.isTextual() || fact.asText().isBlank()) {
        throw new LlmException.InvalidAnswer(where + ".evidence must hold non-empty strings");
      }
      facts.add(fact.asText());
    }
    return new Hypothesis(cause, service, confidence.asDouble(), facts);
  }
}
