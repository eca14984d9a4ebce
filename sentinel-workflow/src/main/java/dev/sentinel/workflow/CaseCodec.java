package dev.sentinel.workflow;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.approve.ApprovalDecision;
import dev.sentinel.execute.ActionResult;
import java.util.List;

/**
 * Turns the workflow's domain values into JSON text for the graph state (and so for the
 * checkpoints) and back. The domain records carry no annotations; the sealed types get their type
 * tags here, at the library's edge.
 */
public final class CaseCodec {

  private final ObjectMapper json =
      new ObjectMapper()
          .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .addMixIn(ApprovalDecision.class, DecisionTypes.class)
          .addMixIn(ActionResult.class, ResultTypes.class);

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ApprovalDecision.AutoApproved.class, name = "auto-approved"),
    @JsonSubTypes.Type(value = ApprovalDecision.NeedsHuman.class, name = "needs-human"),
    @JsonSubTypes.Type(value = ApprovalDecision.Granted.class, name = "granted"),
    @JsonSubTypes.Type(value = ApprovalDecision.Rejected.class, name = "rejected")
  })
  private interface DecisionTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ActionResult.Applied.class, name = "applied"),
    @JsonSubTypes.Type(value = ActionResult.Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = ActionResult.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = ActionResult.DryRun.class, name = "dry-run")
  })
  private interface ResultTypes {}

  public String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads a value written by {@link #write}; null or the "none" marker read as null. */
  public <T> T read(Object text, Class<T> type) {
    if (text == null || Update.NONE.equals(text)) {
      return null;
    }
    try {
      return json.readValue((String) text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot decode a stored " + type.getSimpleName(), e);
    }
  }

  List<StepOutcome> readSteps(Object text) {
    if (text == null || Update.NONE.equals(text)) {
      return List.of();
    }
    try {
      return json.readValue((String) text, new TypeReference<List<StepOutcome>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot decode the stored steps", e);
    }
  }

  List<String> readList(Object text) {
    if (text == null || Update.NONE.equals(text)) {
      return List.of();
    }
    try {
      return json.readValue((String) text, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot decode the stored attempts", e);
    }
  }
}
