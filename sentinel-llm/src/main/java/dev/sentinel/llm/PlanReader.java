package dev.sentinel.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.plan.Target;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code {"summary", "steps": [{"platform", "scope", "resource", "operation", "parameters",
 * "downtimeSeconds", "blastRadius", "rationale"}]}} and holds every step to the {@link
 * ActionPolicy}. The risk is not the model's to choose: it follows from downtime and blast radius
 * exactly as for the rules' steps, and the approval policy judges it the same way.
 */
final class PlanReader implements AnswerReader<Plan> {

  static final String FORMAT =
      "{\"summary\": \"one sentence\", \"steps\": [{\"platform\": \"executor platform\","
          + " \"scope\": \"namespace/region or empty\", \"resource\": \"service\", \"operation\":"
          + " \"e.g. restart, scale, rollback\", \"parameters\": {\"name\": \"value\"},"
          + " \"downtimeSeconds\": 0, \"blastRadius\": \"INSTANCE|SERVICE|DEPENDENTS|PLATFORM\","
          + " \"rationale\": \"why\"}]}  (an empty steps list means a human must decide; at most "
          + Plan.MAX_STEPS
          + ", taken in order: each only if the one before left the incident unchanged)";

  private static final int MAX_STEPS = Plan.MAX_STEPS;
  private static final int MAX_PARAMETERS = 8;
  private static final int MAX_VALUE_CHARS = 200;

  private final ObjectMapper json = new ObjectMapper();
  private final ActionPolicy policy;
  private final Estimates estimates;
  private final String planner;

  PlanReader(ActionPolicy policy, Estimates estimates, String planner) {
    this.policy = policy;
    this.estimates = estimates;
    this.planner = planner;
  }

  @Override
  public Plan read(String text) {
    JsonNode root = AnswerReader.json(json, text);
    String summary = AnswerReader.text(root, "summary", "answer");
    JsonNode list = root.get("steps");
    if (list == null || !list.isArray()) {
      throw new LlmException.InvalidAnswer("answer.steps must be an array");
    }
    if (list.size() > MAX_STEPS) {
      throw new LlmException.InvalidAnswer("at most " + MAX_STEPS + " steps");
    }
    List<PlanStep> steps = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      steps.add(step(list.get(i), "steps[" + i + "]"));
    }
    return new Plan(steps, summary + " (planned by " + planner + ")");
  }

  private PlanStep step(JsonNode node, String where) {
    JsonNode scope = node.get("scope");
    Target target =
        new Target(
            AnswerReader.text(node, "platform", where),
            scope != null && scope.isTextual() ? scope.asText() : "",
            AnswerReader.text(node, "resource", where));
    Action action =
        new Action(target, AnswerReader.text(node, "operation", where), parameters(node, where));
    String refusal = policy.refusal(action);
    if (refusal != null) {
      throw new LlmException.InvalidAnswer(where + " refused: " + refusal);
    }
    JsonNode downtime = node.get("downtimeSeconds");
    if (downtime == null || !downtime.canConvertToLong() || downtime.asLong() < 0) {
      throw new LlmException.InvalidAnswer(where + ".downtimeSeconds must be a whole number >= 0");
    }
    BlastRadius radius;
    try {
      radius = BlastRadius.valueOf(AnswerReader.text(node, "blastRadius", where));
    } catch (IllegalArgumentException e) {
      throw new LlmException.InvalidAnswer(
          where + ".blastRadius must be one of " + List.of(BlastRadius.values()));
    }
    String rationale = AnswerReader.text(node, "rationale", where);
    long downtimeSeconds = estimates.downtime(action, downtime.asLong());
    BlastRadius floored = estimates.radius(action, radius);
    if (downtimeSeconds != downtime.asLong() || floored != radius) {
      rationale +=
          " (the model estimated "
              + downtime.asLong()
              + " s and "
              + radius
              + "; raised to what Sentinel knows of "
              + action.operation()
              + ")";
    }
    return PlanStep.of(
        action, downtimeSeconds, floored, rationale + " [proposed by " + planner + "]");
  }

  private static Map<String, String> parameters(JsonNode node, String where) {
    Map<String, String> parameters = new TreeMap<>();
    JsonNode object = node.get("parameters");
    if (object == null || object.isNull()) {
      return parameters;
    }
    if (!object.isObject() || object.size() > MAX_PARAMETERS) {
      throw new LlmException.InvalidAnswer(
          where + ".parameters must be an object of at most " + MAX_PARAMETERS + " values");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (!value.isValueNode() || value.asText().length() > MAX_VALUE_CHARS) {
        throw new LlmException.InvalidAnswer(
            where + ".parameters." + field.getKey() + " must be a short text or number");
      }
      parameters.put(field.getKey(), value.asText());
    }
    return parameters;
  }
}
