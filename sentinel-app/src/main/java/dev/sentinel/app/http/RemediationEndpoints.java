package dev.sentinel.app.http;

import dev.sentinel.workflow.Approvals;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * {@code POST /api/v1/incidents/{id}/approve} and {@code /reject}: a human's decision on a waiting
 * plan. The body may carry {@code {"reason": "..."}}; the actor is the authenticated key's name.
 */
final class RemediationEndpoints {

  private final Approvals approvals;
  private final Function<Context, String> actor;

  RemediationEndpoints(Approvals approvals, Function<Context, String> actor) {
    this.approvals = approvals;
    this.actor = actor;
  }

  void approve(Context ctx) {
    decide(ctx, true);
  }

  void reject(Context ctx) {
    decide(ctx, false);
  }

  private void decide(Context ctx, boolean approve) {
    String id = ctx.pathParam("id");
    String reason = reason(ctx);
    String who = actor.apply(ctx);
    try {
      if (approve) {
        approvals.approve(id, who, reason);
      } else {
        approvals.reject(id, who, reason);
      }
    } catch (NoSuchElementException e) {
      throw new NotFoundResponse(e.getMessage());
    } catch (Approvals.NotWaitingException e) {
      throw new ConflictResponse(e.getMessage());
    }
    ctx.status(HttpStatus.ACCEPTED)
        .json(
            Map.of(
                "incident", id,
                "decision", approve ? "approved" : "rejected",
                "by", who,
                "reason", reason));
  }

  private static String reason(Context ctx) {
    return CommandBody.strings(ctx, "reason").getOrDefault("reason", "");
  }
}
