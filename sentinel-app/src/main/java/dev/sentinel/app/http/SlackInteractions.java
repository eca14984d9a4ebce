package dev.sentinel.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.notifier.SlackMessages;
import dev.sentinel.notifier.SlackResponder;
import dev.sentinel.notifier.SlackSignature;
import dev.sentinel.notify.ReplayGuard;
import dev.sentinel.trace.RequestIds;
import dev.sentinel.workflow.Approvals;
import dev.sentinel.workflow.IncidentControls;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/slack/interactions}: a click on a button of Sentinel's Slack messages:
 * Approve or Reject on a plan waiting for a decision, Acknowledge or Take over on an incident. No
 * API key (Slack cannot send one): the request must carry Slack's signature over its exact body, be
 * at most five minutes old and not be one already acted on, and the clicking user must be listed in
 * {@code notify.slack.approvers}. The body is read up to {@code server.bodyLimits.slack} only (413
 * past it). Every refusal is audited as {@code approval.refused} with its reason: {@code
 * unauthorised} (a real Slack user who is no approver) one row each; {@code unsigned}, {@code
 * forged}, {@code stale}, {@code replayed} and {@code too-large}, which anyone can send, through a
 * {@link RefusalLog}: the first of a minute, and a count of the rest.
 */
final class SlackInteractions implements Handler {

  private static final Logger log = LoggerFactory.getLogger(SlackInteractions.class);
  private static final ObjectMapper JSON = dev.sentinel.app.ingest.StrictJson.mapper();

  /** Past Slack's window, a signature cannot pass the age check, so it need not be remembered. */
  private static final long REMEMBER_MILLIS = 2 * SlackSignature.MAX_AGE_SECONDS * 1000;

  private final SlackSignature signature;
  private final ReplayGuard replays;
  private final Map<String, String> approvers;
  private final Optional<Approvals> approvals;
  private final Optional<IncidentControls> controls;
  private final AuditTrail audit;
  private final SlackResponder responder;
  private final Clock clock;
  private final long maxBodyBytes;
  private final RefusalLog unverified;

  /**
   * @param approvers Slack user id to the approver's name
   * @param approvals empty when remediation is disabled (every click then answers 409)
   * @param controls acknowledge and take over; empty when remediation is disabled
   * @param maxBodyBytes the largest body read ({@code server.bodyLimits.slack})
   */
  SlackInteractions(
      SlackSignature signature,
      ReplayGuard replays,
      Map<String, String> approvers,
      Optional<Approvals> approvals,
      Optional<IncidentControls> controls,
      AuditTrail audit,
      SlackResponder responder,
      Clock clock,
      long maxBodyBytes) {
    this.signature = signature;
    this.replays = replays;
    this.approvers = Map.copyOf(approvers);
    this.approvals = approvals;
    this.controls = controls;
    this.audit = audit;
    this.responder = responder;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    this.unverified = new RefusalLog(audit, clock, log, "Slack interaction");
  }

  @Override
  public void handle(Context ctx) {
    Optional<String> read = RequestBodies.callback(ctx, maxBodyBytes, "server.bodyLimits.slack");
    if (read.isEmpty()) {
      refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "too-large", "slack:unverified", null, Map.of());
      return;
    }
    String body = read.get();
    String signed = ctx.header("X-Slack-Signature");
    long now = clock.millis();
    switch (signature.check(ctx.header("X-Slack-Request-Timestamp"), signed, body)) {
      case MISSING -> {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "unsigned", "slack:unverified", null, Map.of());
        return;
      }
      case FORGED -> {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "forged", "slack:unverified", null, Map.of());
        return;
      }
      case STALE -> {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "stale", "slack:unverified", null, Map.of());
        return;
      }
      case VALID -> {}
    }
    if (!replays.firstSeen(signed, now, now - REMEMBER_MILLIS)) {
      refuse(ctx, HttpStatus.UNAUTHORIZED, "replayed", "slack:unverified", null, Map.of());
      return;
    }
    JsonNode payload = payload(body);
    JsonNode action = payload.path("actions").path(0);
    String actionId = action.path("action_id").asText("");
    boolean approve = actionId.equals(SlackMessages.APPROVE);
    boolean control =
        actionId.equals(SlackMessages.ACKNOWLEDGE) || actionId.equals(SlackMessages.TAKE_OVER);
    if (!approve && !control && !actionId.equals(SlackMessages.REJECT)) {
      ctx.status(HttpStatus.OK).json(Map.of("ignored", "not a Sentinel button"));
      return;
    }
    String userId = payload.path("user").path("id").asText("");
    String incidentId = action.path("value").asText("");
    String responseUrl = payload.path("response_url").asText("");
    String approver = approvers.get(userId);
    if (approver == null) {
      refuse(
          ctx,
          HttpStatus.FORBIDDEN,
          "unauthorised",
          "slack:" + userId,
          incidentId,
          Map.of(
              "slackUser", userId, "slackName", payload.path("user").path("username").asText("")));
      tell(
          responseUrl,
          "You are not an approver in Sentinel (notify.slack.approvers); nothing was done.");
      return;
    }
    if (approvals.isEmpty() || controls.isEmpty()) {
      ctx.status(HttpStatus.CONFLICT).json(Map.of("error", "remediation is disabled"));
      return;
    }
    String actor = "slack:" + approver;
    if (control) {
      control(ctx, actionId, incidentId, actor, responseUrl);
      return;
    }
    String reason = "clicked in Slack by " + userId;
    try {
      if (approve) {
        approvals.get().approve(incidentId, actor, reason);
      } else {
        approvals.get().reject(incidentId, actor, reason);
      }
    } catch (NoSuchElementException | Approvals.NotWaitingException e) {
      tell(responseUrl, "Nothing was done: " + e.getMessage());
      ctx.status(HttpStatus.CONFLICT).json(Map.of("error", e.getMessage()));
      return;
    }
    String verb = approve ? "approved" : "rejected";
    respond(responseUrl, SlackMessages.decided(incidentId, verb, actor, ""));
    ctx.status(HttpStatus.OK).json(Map.of("incident", incidentId, "decision", verb, "by", actor));
  }

  /** Acknowledge or take over; the clicker is told privately how it went. */
  private void control(
      Context ctx, String actionId, String incidentId, String actor, String responseUrl) {
    boolean acknowledge = actionId.equals(SlackMessages.ACKNOWLEDGE);
    try {
      if (acknowledge) {
        controls.get().acknowledge(incidentId, actor, "from Slack");
      } else {
        controls.get().takeOver(incidentId, actor, "from Slack");
      }
    } catch (NoSuchElementException | IncidentControls.Refused e) {
      tell(responseUrl, "Nothing was done: " + e.getMessage());
      ctx.status(HttpStatus.CONFLICT).json(Map.of("error", e.getMessage()));
      return;
    }
    String done = acknowledge ? "acknowledged" : "taken over";
    tell(responseUrl, "Incident " + incidentId + " " + done + " by " + actor + ".");
    ctx.status(HttpStatus.OK).json(Map.of("incident", incidentId, "control", done, "by", actor));
  }

  private void refuse(
      Context ctx,
      HttpStatus status,
      String reason,
      String actor,
      String incidentId,
      Map<String, String> extra) {
    Map<String, String> details = new LinkedHashMap<>(extra);
    details.put("reason", reason);
    details.put("channel", "slack");
    details.put("remoteAddress", ctx.ip());
    String requestId = RequestIds.current();
    if (requestId != null) {
      details.put(RequestIds.KEY, requestId);
    }
    ctx.status(status).json(Map.of("error", "refused: " + reason));
    if (status != HttpStatus.FORBIDDEN) {
      // Unverified: anyone can send these, so they are recorded at a bounded rate.
      unverified.refused(actor, incidentId, reason, details);
      return;
    }
    // Signed by Slack, by a user who is no approver: each one is worth its own row.
    audit.append(
        AuditRecord.of(
            clock.millis(),
            actor,
            AuditAction.APPROVAL_REFUSED,
            incidentId == null || incidentId.isBlank() ? null : incidentId,
            details));
    log.warn("refused a Slack interaction ({}) from {}", reason, ctx.ip());
  }

  /** The {@code payload} form field, as JSON; Slack sends it URL-encoded. */
  static JsonNode payload(String body) {
    for (String pair : body.split("&")) {
      int split = pair.indexOf('=');
      if (split > 0 && pair.substring(0, split).equals("payload")) {
        try {
          return JSON.readTree(
              URLDecoder.decode(pair.substring(split + 1), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
          throw new BadRequestException("the 'payload' field is not JSON: " + e.getMessage());
        }
      }
    }
    throw new BadRequestException("the body has no 'payload' field");
  }

  /** Off the request thread: Slack wants its answer within three seconds. */
  private void respond(String responseUrl, Map<String, Object> message) {
    if (!responseUrl.isBlank()) {
      Thread.startVirtualThread(() -> log(responder.replace(responseUrl, message)));
    }
  }

  private void tell(String responseUrl, String text) {
    if (!responseUrl.isBlank()) {
      Thread.startVirtualThread(() -> log(responder.tell(responseUrl, text)));
    }
  }

  private static void log(dev.sentinel.notify.DeliveryResult result) {
    if (!(result instanceof dev.sentinel.notify.DeliveryResult.Sent)) {
      log.warn("answering Slack through its response_url failed: {}", result);
    }
  }
}
