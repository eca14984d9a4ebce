package dev.sentinel.app.http;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.Severity;
import dev.sentinel.workflow.IncidentControls;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/incidents/{id}/<control>}: what a person does with an incident (see {@link
 * IncidentControls}). The actor is the authenticated key's name; the answer is the incident as it
 * is now. 404 for an unknown incident, 409 when the control does not apply to it as it is (a
 * resolved incident, an acknowledged one acknowledged again), 400 for a malformed body.
 */
final class ControlEndpoints {

  private final IncidentControls controls;
  private final Function<Context, String> actor;

  ControlEndpoints(IncidentControls controls, Function<Context, String> actor) {
    this.controls = controls;
    this.actor = actor;
  }

  /** {@code {"note": "..."}} optional. */
  void acknowledge(Context ctx) {
    Map<String, String> body = CommandBody.strings(ctx, "note");
    answer(ctx, () -> controls.acknowledge(id(ctx), actor.apply(ctx), body.get("note")));
  }

  /** {@code {"assignee": "alice"}}. */
  void assign(Context ctx) {
    Map<String, String> body = CommandBody.strings(ctx, "assignee");
    answer(ctx, () -> controls.assign(id(ctx), actor.apply(ctx), body.get("assignee")));
  }

  /** {@code {"text": "..."}}. */
  void note(Context ctx) {
    Map<String, String> body = CommandBody.strings(ctx, "text");
    answer(ctx, () -> controls.note(id(ctx), actor.apply(ctx), body.get("text")));
  }

  /** {@code {"severity": "low|medium|high|critical", "reason": "..."}}. */
  void severity(Context ctx) {
    Map<String, String> body = CommandBody.strings(ctx, "severity", "reason");
    Severity severity = severityOf(body.get("severity"));
    answer(ctx, () -> controls.severity(id(ctx), actor.apply(ctx), severity, body.get("reason")));
  }

  /** {@code {"reason": "..."}} optional. */
  void takeOver(Context ctx) {
    String reason = CommandBody.strings(ctx, "reason").get("reason");
    answer(ctx, () -> controls.takeOver(id(ctx), actor.apply(ctx), reason));
  }

  /** {@code {"reason": "..."}} optional. */
  void handBack(Context ctx) {
    String reason = CommandBody.strings(ctx, "reason").get("reason");
    answer(ctx, () -> controls.handBack(id(ctx), actor.apply(ctx), reason));
  }

  /** {@code {"reason": "..."}} optional. */
  void resolve(Context ctx) {
    String reason = CommandBody.strings(ctx, "reason").get("reason");
    answer(ctx, () -> controls.resolve(id(ctx), actor.apply(ctx), reason));
  }

  private static String id(Context ctx) {
    return ctx.pathParam("id");
  }

  private void answer(Context ctx, Supplier<Incident> control) {
    Incident incident;
    try {
      incident = control.get();
    } catch (NoSuchElementException e) {
      throw new NotFoundResponse(e.getMessage());
    } catch (IncidentControls.Refused e) {
      throw new ConflictResponse(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    ctx.json(Views.IncidentSummary.of(incident));
  }

  private static Severity severityOf(String text) {
    String levels =
        String.join(
            ", ",
            Arrays.stream(Severity.values())
                .map(level -> level.name().toLowerCase(Locale.ROOT))
                .toList());
    if (text == null || text.isBlank()) {
      throw new BadRequestException("'severity' is required: one of " + levels);
    }
    try {
      return Severity.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "'severity' must be one of " + levels + "; got '" + text.strip() + "'");
    }
  }
}
