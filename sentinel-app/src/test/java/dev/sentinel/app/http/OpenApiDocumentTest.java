package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.Role;
import dev.sentinel.app.config.AuthConfig;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.ingest.InProcessTelemetryBus;
import dev.sentinel.postgres.PostgresApiKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code openapi.json} to the routes registered in {@link ApiServer}, read back from
 * Javalin's router: a route added without documenting it, or documented with another access, fails
 * here.
 */
class OpenApiDocumentTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  private final JsonNode document = read();
  private InProcessTelemetryBus bus;
  private ApiServer server;

  private static JsonNode read() {
    try {
      return JSON.readTree(OpenApiDocument.read());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
    AuditTrail audit = TestStateStore.auditTrail();
    ApiKeyStore keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, clock, TestStateStore.keyHasher());
    bus = new InProcessTelemetryBus(1, 1000, partition -> batch -> {});
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server =
        new ApiServer(
            TestParts.of(bus, clock, meters, Map.of(), AuthConfig.defaults(), keys, audit));
  }

  @AfterEach
  void stop() {
    server.close();
    bus.close();
  }

  private static String code(Access access) {
    return access.name().toLowerCase(Locale.ROOT);
  }

  @Test
  void every_registered_route_is_documented_with_its_access() {
    List<ApiServer.Route> routes = server.routes();
    assertThat(routes).isNotEmpty();
    for (ApiServer.Route route : routes) {
      String where = route.method() + " " + route.path();
      assertThat(route.access()).as(where + " declares its Access").isNotNull();
      JsonNode operation =
          document
              .path("paths")
              .path(route.path())
              .path(route.method().name().toLowerCase(Locale.ROOT));
      assertThat(operation.isObject()).as(where + " is in openapi.json").isTrue();
      assertThat(operation.path("x-sentinel-access").asText())
          .as(where + " x-sentinel-access")
          .isEqualTo(code(route.access()));
      if (route.access() == Access.PUBLIC) {
        assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
            .as(where + " is documented as needing no key (security: [])")
            .isTrue();
      } else {
        assertThat(operation.path("security").toString()).as(where).contains("bearerAuth");
        assertThat(operation.path("responses").has("401")).as(where + " documents 401").isTrue();
        assertThat(operation.path("responses").has("403")).as(where + " documents 403").isTrue();
      }
      assertThat(operation.path("responses").isObject()).as(where + " has responses").isTrue();
    }
  }

  @Test
  void every_documented_operation_is_a_registered_route() {
    Set<String> registered = new HashSet<>();
    for (ApiServer.Route route : server.routes()) {
      registered.add(route.method().name().toLowerCase(Locale.ROOT) + " " + route.path());
    }
    List<String> documented = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (METHODS.contains(method)) {
          documented.add(method + " " + path.getKey());
        }
      }
    }
    assertThat(registered).containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void the_document_is_openapi_3_1_with_the_bearer_scheme_and_current_enums() {
    assertThat(document.path("openapi").asText()).startsWith("3.1.");
    assertThat(document.at("/components/securitySchemes/bearerAuth/type").asText())
        .isEqualTo("http");
    assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asText())
        .isEqualTo("bearer");
    List<String> roles = new ArrayList<>();
    document.at("/components/schemas/Role/enum").forEach(role -> roles.add(role.asText()));
    assertThat(roles)
        .containsExactlyElementsOf(Arrays.stream(Role.values()).map(Role::code).toList());
    List<String> actions = new ArrayList<>();
    for (JsonNode parameter : document.at("/paths/~1api~1v1~1audit/get/parameters")) {
      if (parameter.path("name").asText().equals("action")) {
        parameter.at("/schema/enum").forEach(action -> actions.add(action.asText()));
      }
    }
    assertThat(actions)
        .containsExactlyElementsOf(
            Arrays.stream(AuditAction.values()).map(AuditAction::code).toList());
  }

  @Test
  void every_schema_reference_resolves() {
    List<String> dangling = new ArrayList<>();
    collectDangling(document, dangling);
    assertThat(dangling).isEmpty();
  }

  private void collectDangling(JsonNode node, List<String> dangling) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && document.at(ref.asText().substring(1)).isMissingNode()) {
        dangling.add(ref.asText());
      }
      node.elements().forEachRemaining(child -> collectDangling(child, dangling));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectDangling(child, dangling));
    }
  }

  @Test
  void the_document_is_served_without_a_key() throws Exception {
    Http http = new Http("http://127.0.0.1:" + server.start());
    var response = http.get("/openapi.json", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(JSON.readTree(response.body())).isEqualTo(document);
  }
}
