package dev.sentinel.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.demo.DemoDriver;
import dev.sentinel.simulator.Fault;
import dev.sentinel.simulator.FaultKind;
import dev.sentinel.simulator.Fleet;
import dev.sentinel.simulator.UnknownServiceException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The demo fleet over HTTP: {@code GET /api/v1/simulator} shows services, replicas, versions and
 * active faults; {@code POST /api/v1/simulator/faults} {@code {"kind": "memory_leak", "service":
 * "checkout"}} injects a fault now.
 */
final class SimulatorEndpoints {

  private static final ObjectMapper JSON = dev.sentinel.app.ingest.StrictJson.mapper();

  private final Fleet fleet;
  private final DemoDriver demo;

  SimulatorEndpoints(Fleet fleet, DemoDriver demo) {
    this.fleet = fleet;
    this.demo = demo;
  }

  void describe(Context ctx) {
    ctx.json(fleet.describe());
  }

  void inject(Context ctx) throws Exception {
    JsonNode body;
    try {
      body = JSON.readTree(RequestBodies.command(ctx));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequestException(
          "the body must be JSON like {\"kind\": \"memory_leak\", \"service\": \"checkout\"}");
    }
    FaultKind kind = kind(body == null ? null : body.get("kind"));
    JsonNode service = body.get("service");
    if (service == null || !service.isTextual()) {
      throw new BadRequestException("'service' is required: one of " + fleet.services());
    }
    try {
      Fault fault = demo.inject(kind, service.asText());
      ctx.status(HttpStatus.CREATED)
          .json(
              Map.of(
                  "kind",
                  fault.kind(),
                  "service",
                  fault.service(),
                  "startMillis",
                  fault.startMillis()));
    } catch (UnknownServiceException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  private static FaultKind kind(JsonNode node) {
    String known = Arrays.toString(FaultKind.values()).toLowerCase(Locale.ROOT);
    if (node == null || !node.isTextual()) {
      throw new BadRequestException("'kind' is required: one of " + known);
    }
    try {
      return FaultKind.valueOf(node.asText().strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "'kind' must be one of " + known + "; got '" + node.asText() + "'");
    }
  }
}
