package dev.sentinel.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.notifier.PagerDutySignature;
import dev.sentinel.notify.ReplayGuard;
import dev.sentinel.trace.RequestIds;
import dev.sentinel.workflow.IncidentControls;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/pagerduty/webhook}: PagerDuty's v3 webhooks, so an incident acknowledged or
 * resolved in PagerDuty is acknowledged or resolved in Sentinel too. No API key (PagerDuty cannot
 * send one): the body must carry PagerDuty's signature ({@link PagerDutySignature}) and an event id
 * not acted on before. The incident is found by the incident key Sentinel sent as the Events v2
 * {@code dedup_key}, which is Sentinel's incident id; the actor is {@code pagerduty:<who>}.
 *
 * <p>Answers 200 for every verified event, also one that changes nothing (another tool's incident,
 * an event type Sentinel does not act on, an incident acknowledged or resolved already, which is
 * what Sentinel's own acknowledge or resolve comes back as): PagerDuty would otherwise retry it.
 * Refusals (unsigned, forged, replayed, too large) are audited as {@code approval.refused} at a
 * bounded rate ({@link RefusalLog}), since anyone can send them.
 */
final class PagerDutyWebhooks implements Handler {

  private static final Logger log = LoggerFactory.getLogger(PagerDutyWebhooks.class);
  private static final ObjectMapper JSON = dev.sentinel.app.ingest.StrictJson.mapper();

  /** PagerDuty retries a delivery for about a day; an event id is remembered for longer. */
  private static final long REMEMBER_MILLIS = 48 * 3_600_000L;

  private final PagerDutySignature signature;
  private final ReplayGuard replays;
  private final Optional<IncidentControls> controls;
  private final Clock clock;
  private final long maxBodyBytes;
  private final RefusalLog unverified;

  PagerDutyWebhooks(
      PagerDutySignature signature,
      ReplayGuard replays,
      Optional<IncidentControls> controls,
      AuditTrail audit,
      Clock clock,
      long maxBodyBytes) {
    this.signature = signature;
    this.replays = replays;
    this.controls = controls;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    this.unverified = new RefusalLog(audit, clock, log, "PagerDuty webhook");
  }

  @Override
  public void handle(Context ctx) {
    Optional<String> read = RequestBodies.callback(ctx, maxBodyBytes, "server.bodyLimits.slack");
    if (read.isEmpty()) {
      refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "too-large");
      return;
    }
    String body = read.get();
    switch (signature.check(ctx.header("X-PagerDuty-Signature"), body)) {
      case MISSING -> {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "unsigned");
        return;
      }
      case FORGED -> {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "forged");
        return;
      }
      case VALID -> {}
    }
    JsonNode event = event(body);
    String eventId = event.path("id").asText("");
    long now = clock.millis();
    if (!eventId.isEmpty()
        && !replays.firstSeen("pagerduty:" + eventId, now, now - REMEMBER_MILLIS)) {
      refuse(ctx, HttpStatus.UNAUTHORIZED, "replayed");
      return;
    }
    String type = event.path("event_type").asText("");
    String incidentId = event.path("data").path("incident_key").asText("");
    String who = event.path("agent").path("summary").asText("");
    String actor = "pagerduty:" + (who.isBlank() ? "unknown" : who);
    if (!type.equals("incident.acknowledged") && !type.equals("incident.resolved")) {
      ignored(ctx, "Sentinel does not act on " + (type.isEmpty() ? "this event" : type));
      return;
    }
    if (incidentId.isEmpty() || controls.isEmpty()) {
      ignored(ctx, incidentId.isEmpty() ? "no incident key" : "remediation is disabled");
      return;
    }
    try {
      if (type.equals("incident.acknowledged")) {
        controls.get().acknowledge(incidentId, actor, "acknowledged in PagerDuty");
      } else {
        controls.get().resolve(incidentId, actor, "resolved in PagerDuty");
      }
    } catch (NoSuchElementException | IncidentControls.Refused e) {
      ignored(ctx, e.getMessage());
      return;
    }
    ctx.status(HttpStatus.OK).json(Map.of("incident", incidentId, "event", type, "by", actor));
  }

  /** The {@code event} object of the body. */
  private static JsonNode event(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequestException("the webhook body is not JSON: " + e.getOriginalMessage());
    }
    JsonNode event = root == null ? null : root.get("event");
    if (event == null || !event.isObject()) {
      throw new BadRequestException("the webhook body has no 'event' object");
    }
    return event;
  }

  private static void ignored(Context ctx, String why) {
    ctx.status(HttpStatus.OK).json(Map.of("ignored", why));
  }

  private void refuse(Context ctx, HttpStatus status, String reason) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("reason", reason);
    details.put("channel", "pagerduty");
    details.put("remoteAddress", ctx.ip());
    String requestId = RequestIds.current();
    if (requestId != null) {
      details.put(RequestIds.KEY, requestId);
    }
    ctx.status(status).json(Map.of("error", "refused: " + reason));
    unverified.refused("pagerduty:unverified", null, reason, details);
  }
}
