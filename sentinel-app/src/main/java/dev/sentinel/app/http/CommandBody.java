package dev.sentinel.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a command on an incident: a JSON object of string fields, all optional, none other
 * allowed. An empty body is an empty object.
 */
final class CommandBody {

  private static final ObjectMapper JSON = dev.sentinel.app.ingest.StrictJson.mapper();

  private CommandBody() {}

  /**
   * The named string fields of the body; absent ones are left out.
   *
   * @throws BadRequestException for a body that is not such an object
   */
  static Map<String, String> strings(Context ctx, String... fields) {
    String body = RequestBodies.command(ctx);
    Map<String, String> values = new LinkedHashMap<>();
    if (body.isBlank()) {
      return values;
    }
    List<String> allowed = List.of(fields);
    String shape = example(allowed);
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequestException(
          "the body must be JSON like " + shape + ": " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new BadRequestException("the body must be a JSON object like " + shape);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!allowed.contains(field.getKey())) {
        throw new BadRequestException(
            "unknown field '" + field.getKey() + "'; the body looks like " + shape);
      }
      if (!field.getValue().isTextual()) {
        throw new BadRequestException("'" + field.getKey() + "' must be a string");
      }
      values.put(field.getKey(), field.getValue().asText());
    }
    return values;
  }

  private static String example(List<String> fields) {
    StringBuilder shape = new StringBuilder("{");
    for (String field : fields) {
      shape.append(shape.length() > 1 ? ", " : "").append('"').append(field).append("\": \"...\"");
    }
    return shape.append('}').toString();
  }
}
