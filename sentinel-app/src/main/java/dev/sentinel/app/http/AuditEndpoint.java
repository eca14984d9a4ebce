package dev.sentinel.app.http;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditTrail;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/audit?actor=&action=&incident=&from=&to=&after=&limit=}: audit entries, oldest
 * first, with their chain hashes so a client can re-verify what it fetched. Pages with {@code
 * after}: pass the {@code next} of one answer to get the following page.
 */
final class AuditEndpoint {

  private static final int MAX_LIMIT = 10_000;

  private final AuditTrail trail;
  private final Clock clock;

  AuditEndpoint(AuditTrail trail, Clock clock) {
    this.trail = trail;
    this.clock = clock;
  }

  record EntryView(
      long sequence,
      String time,
      long timestampMillis,
      String actor,
      String action,
      String incident,
      Map<String, String> details,
      String previousHash,
      String hash) {

    static EntryView of(AuditEntry entry) {
      return new EntryView(
          entry.sequence(),
          Views.time(entry.record().atMillis()),
          entry.record().atMillis(),
          entry.record().actor(),
          entry.record().action().code(),
          entry.record().incidentId(),
          entry.record().details(),
          entry.previousHash(),
          entry.hash());
    }
  }

  void list(Context ctx) {
    long now = clock.millis();
    Long from = time(ctx, "from", now);
    Long to = time(ctx, "to", now);
    if (from != null && to != null && from >= to) {
      throw new BadRequestException("query parameter 'from' must be before 'to'");
    }
    int limit = QueryTime.limit(ctx.queryParam("limit"), 100, MAX_LIMIT);
    AuditQuery query =
        new AuditQuery(
            blankToNull(ctx.queryParam("actor")),
            action(ctx.queryParam("action")),
            blankToNull(ctx.queryParam("incident")),
            from,
            to,
            after(ctx.queryParam("after")),
            limit);
    List<EntryView> entries = trail.find(query).stream().map(EntryView::of).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", entries.size());
    body.put("entries", entries);
    body.put("next", entries.size() == limit ? entries.getLast().sequence() : null);
    ctx.json(body);
  }

  private static Long time(Context ctx, String parameter, long now) {
    String text = ctx.queryParam(parameter);
    return text == null || text.isBlank() ? null : QueryTime.parse(parameter, text, now);
  }

  private static AuditAction action(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return AuditAction.fromCode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "query parameter 'action' must be one of "
              + Arrays.stream(AuditAction.values())
                  .map(AuditAction::code)
                  .collect(Collectors.joining(", "))
              + "; got '"
              + text
              + "'");
    }
  }

  private static long after(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      long after = Long.parseLong(text.strip());
      if (after < 0) {
        throw new NumberFormatException();
      }
      return after;
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "query parameter 'after' must be a sequence number >= 0; got '" + text + "'");
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
