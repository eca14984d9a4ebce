package dev.sentinel.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A local stand-in for the two AWS APIs the executors call, speaking their wire protocols: EC2's
 * Query API (a form-encoded {@code Action=...} body, XML replies) and ECS's JSON 1.1 protocol (the
 * operation in {@code X-Amz-Target}, JSON bodies). It keeps every request it received, so tests can
 * assert exactly what the SDK sent, and behaves like AWS where the executors depend on it: an
 * instance passes through {@code stopping} and {@code pending}; a service update leaves two
 * deployments until the next look, as a rolling deployment does.
 */
final class AwsFake implements AutoCloseable {

  static final String ECS_PREFIX = "AmazonEC2ContainerServiceV20141113.";
  private static final String EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  final List<Map<String, String>> ec2Requests = new ArrayList<>();
  final List<String> ecsTargets = new ArrayList<>();

  /** The X-Request-ID of every request, EC2 and ECS, in order ("" where absent). */
  final List<String> requestIds = new ArrayList<>();

  final List<JsonNode> ecsBodies = new ArrayList<>();
  final Map<String, String> instances = new LinkedHashMap<>();
  final Map<String, ObjectNode> services = new LinkedHashMap<>();
  final List<String> taskDefinitions = new ArrayList<>();

  AwsFake() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  ObjectNode service(String name, int desired, String taskDefinition) {
    ObjectNode service = json.createObjectNode();
    service.put("serviceName", name);
    service.put("serviceArn", "arn:aws:ecs:eu-west-1:123456789012:service/prod/" + name);
    service.put("desiredCount", desired);
    service.put("runningCount", desired);
    service.put("taskDefinition", taskDefinition);
    service.set(
        "deployments", json.createArrayNode().add(deployment(taskDefinition, desired, "PRIMARY")));
    services.put(name, service);
    return service;
  }

  private ObjectNode deployment(String taskDefinition, int desired, String status) {
    ObjectNode deployment = json.createObjectNode();
    deployment.put("id", "ecs-svc/" + System.nanoTime());
    deployment.put("status", status);
    deployment.put("taskDefinition", taskDefinition);
    deployment.put("desiredCount", desired);
    deployment.put("rolloutState", status.equals("PRIMARY") ? "IN_PROGRESS" : "COMPLETED");
    return deployment;
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String requestId = exchange.getRequestHeaders().getFirst("X-Request-ID");
    requestIds.add(requestId == null ? "" : requestId);
    if (target != null) {
      ecsTargets.add(target);
      JsonNode request = json.readTree(body);
      ecsBodies.add(request);
      reply(
          exchange,
          200,
          "application/x-amz-json-1.1",
          json.writeValueAsString(ecs(target.substring(ECS_PREFIX.length()), request)));
    } else {
      Map<String, String> form = form(body);
      ec2Requests.add(form);
      String xml = ec2(form);
      reply(exchange, xml.startsWith("<Response>") ? 400 : 200, "text/xml;charset=UTF-8", xml);
    }
  }

  private String ec2(Map<String, String> form) {
    String action = form.get("Action");
    String id = form.get("InstanceId.1");
    String before = instances.get(id);
    if (before == null) {
      return "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID '"
          + id
          + "' does not exist</Message></Error></Errors><RequestID>fake-1</RequestID></Response>";
    }
    String reply =
        switch (action) {
          case "DescribeInstances" -> {
            // A transition seen once completes by the next look, as EC2's would in time.
            instances.put(
                id,
                before.equals("stopping")
                    ? "stopped"
                    : before.equals("pending") ? "running" : before);
            yield "<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>"
                + id
                + "</instanceId><instanceType>t3.small</instanceType><placement><availabilityZone>eu-west-1a</availabilityZone></placement>"
                + state("instanceState", before)
                + "</item></instancesSet></item></reservationSet>";
          }
          case "StopInstances" ->
              change(id, before, before.equals("stopped") ? "stopped" : "stopping");
          case "StartInstances" ->
              change(id, before, before.equals("running") ? "running" : "pending");
          case "RebootInstances" -> "<return>true</return>";
          default -> throw new IllegalArgumentException("the fake does not know " + action);
        };
    return "<"
        + action
        + "Response xmlns=\""
        + EC2_XMLNS
        + "\"><requestId>fake-1</requestId>"
        + reply
        + "</"
        + action
        + "Response>";
  }

  private String change(String id, String before, String after) {
    instances.put(id, after);
    return "<instancesSet><item><instanceId>"
        + id
        + "</instanceId>"
        + state("currentState", after)
        + state("previousState", before)
        + "</item></instancesSet>";
  }

  private static String state(String element, String name) {
    int code =
        switch (name) {
          case "pending" -> 0;
          case "running" -> 16;
          case "stopping" -> 64;
          default -> 80;
        };
    return "<" + element + "><code>" + code + "</code><name>" + name + "</name></" + element + ">";
  }

  private ObjectNode ecs(String operation, JsonNode request) {
    ObjectNode reply = json.createObjectNode();
    switch (operation) {
      case "DescribeServices" -> {
        ArrayNode found = reply.putArray("services");
        ArrayNode failures = reply.putArray("failures");
        for (JsonNode name : request.get("services")) {
          ObjectNode service = services.get(name.asText());
          if (service == null) {
            failures
                .addObject()
                .put("arn", "arn:aws:ecs:eu-west-1:123456789012:service/prod/" + name.asText())
                .put("reason", "MISSING");
          } else {
            found.add(service.deepCopy());
            settle(service);
          }
        }
      }
      case "UpdateService" -> {
        ObjectNode service = services.get(request.get("service").asText());
        if (request.has("desiredCount")) {
          service.put("desiredCount", request.get("desiredCount").asInt());
        }
        if (request.has("taskDefinition")) {
          service.put("taskDefinition", request.get("taskDefinition").asText());
        }
        ((ArrayNode) service.get("deployments"))
            .insert(
                0,
                deployment(
                    service.get("taskDefinition").asText(),
                    service.get("desiredCount").asInt(),
                    "PRIMARY"));
        reply.set("service", service.deepCopy());
      }
      case "ListTaskDefinitions" -> {
        String prefix = request.get("familyPrefix").asText();
        ArrayNode arns = reply.putArray("taskDefinitionArns");
        taskDefinitions.stream()
            .filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(prefix))
            .sorted(java.util.Comparator.comparing((String arn) -> arn).reversed())
            .forEach(arns::add);
      }
      default -> throw new IllegalArgumentException("the fake does not know " + operation);
    }
    return reply;
  }

  /** After one look at a rolling service, its old deployment is gone and every task runs. */
  private void settle(ObjectNode service) {
    ArrayNode deployments = (ArrayNode) service.get("deployments");
    while (deployments.size() > 1) {
      deployments.remove(deployments.size() - 1);
    }
    service.put("runningCount", service.get("desiredCount").asInt());
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      form.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  private static void reply(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
