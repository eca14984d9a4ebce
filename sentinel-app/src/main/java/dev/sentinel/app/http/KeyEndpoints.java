package dev.sentinel.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.access.ApiKey;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.CreatedKey;
import dev.sentinel.access.Role;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/keys}: creating, listing and revoking API keys (admin only). */
final class KeyEndpoints {

  private static final ObjectMapper JSON = dev.sentinel.app.ingest.StrictJson.mapper();
  private static final Set<String> FIELDS = Set.of("name", "role");

  private final ApiKeyStore keys;
  private final Authenticator authenticator;

  KeyEndpoints(ApiKeyStore keys, Authenticator authenticator) {
    this.keys = keys;
    this.authenticator = authenticator;
  }

  /** A key as the API shows it: never the secret, except once in {@link Created}. */
  record KeyView(
      String id, String name, String role, boolean active, String createdAt, String revokedAt) {

    static KeyView of(ApiKey key) {
      return new KeyView(
          key.id(),
          key.name(),
          key.role().code(),
          key.active(),
          Views.time(key.createdAtMillis()),
          key.revokedAtMillis() == null ? null : Views.time(key.revokedAtMillis()));
    }
  }

  record Created(
      String id, String name, String role, String createdAt, String secret, String notice) {}

  /** {@code POST /api/v1/keys} with {@code {"name": …, "role": …}}: 201 and the secret, once. */
  void create(Context ctx) {
    JsonNode body = body(ctx);
    String name = text(body, "name");
    Role role;
    try {
      role = Role.fromCode(text(body, "role"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("field 'role': " + e.getMessage());
    }
    try {
      ApiKey.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("field 'name': " + e.getMessage());
    }
    CreatedKey created = keys.create(name, role, Authenticator.actor(ctx));
    ApiKey key = created.key();
    // The secret is in this response only: keep it out of every cache on the way.
    ctx.header("Cache-Control", "no-store");
    ctx.header("Location", "/api/v1/keys/" + key.id());
    ctx.status(HttpStatus.CREATED)
        .json(
            new Created(
                key.id(),
                key.name(),
                key.role().code(),
                Views.time(key.createdAtMillis()),
                created.secret(),
                "store the secret now: Sentinel keeps only its hash and cannot show it again"));
  }

  /** {@code GET /api/v1/keys}: every key, active and revoked, oldest first. */
  void list(Context ctx) {
    List<KeyView> listed = keys.list().stream().map(KeyView::of).toList();
    ctx.json(Map.of("count", listed.size(), "keys", listed));
  }

  /** {@code DELETE /api/v1/keys/{id}}: 204 once revoked; 404 if no active key has that id. */
  void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    if (!keys.revoke(id, Authenticator.actor(ctx))) {
      throw new NotFoundResponse("no active API key with id '" + id + "'");
    }
    authenticator.forget();
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private static JsonNode body(Context ctx) {
    JsonNode body;
    try {
      body = JSON.readTree(RequestBodies.command(ctx));
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the request body must be JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) {
      throw new BadRequestException(
          "the request body must be a JSON object like {\"name\": \"grafana\", \"role\": \"viewer\"}");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw new BadRequestException("unknown field '" + field + "'; known fields: name, role");
      }
    }
    return body;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw new BadRequestException("field '" + field + "' is required");
    }
    if (!value.isTextual()) {
      throw new BadRequestException("field '" + field + "' must be a string");
    }
    return value.asText();
  }
}
