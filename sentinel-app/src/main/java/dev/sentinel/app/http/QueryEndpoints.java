package dev.sentinel.app.http;

import dev.sentinel.analyse.Precedent;
import dev.sentinel.app.http.Views.AnomalyView;
import dev.sentinel.app.http.Views.IncidentDetail;
import dev.sentinel.app.http.Views.IncidentSummary;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.Severity;
import dev.sentinel.workflow.CaseState;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The read side of the API: anomalies and incidents. */
final class QueryEndpoints {

  private static final int MAX_LIMIT = 10_000;

  private final AnomalyLog anomalies;
  private final IncidentStore incidents;
  private final Function<String, Optional<CaseState>> workflow;
  private final Clock clock;
  private final Function<Incident, List<Precedent>> similar;

  /**
   * @param workflow the latest workflow state of an incident, when it has one
   */
  QueryEndpoints(
      AnomalyLog anomalies,
      IncidentStore incidents,
      Function<String, Optional<CaseState>> workflow,
      Clock clock,
      Function<Incident, List<Precedent>> similar) {
    this.anomalies = anomalies;
    this.incidents = incidents;
    this.workflow = workflow;
    this.clock = clock;
    this.similar = similar;
  }

  /**
   * {@code GET /api/v1/anomalies?since=&series=&limit=}: {@code series} matches a series' full text
   * ({@code name{label="v"}}), its metric name, or any part of its text.
   */
  void anomalies(Context ctx) {
    long now = clock.millis();
    String since = ctx.queryParam("since");
    long sinceMillis = since == null ? now - 3_600_000L : QueryTime.parse("since", since, now);
    String series = ctx.queryParam("series");
    int limit = QueryTime.limit(ctx.queryParam("limit"), 1000, MAX_LIMIT);
    Predicate<Anomaly> filter =
        series == null || series.isBlank()
            ? anomaly -> true
            : anomaly ->
                anomaly.series().name().equals(series) || anomaly.series().text().contains(series);
    List<AnomalyView> found =
        anomalies.recent(sinceMillis, filter, limit).stream().map(AnomalyView::of).toList();
    ctx.json(Map.of("count", found.size(), "anomalies", found));
  }

  /**
   * {@code GET /api/v1/incidents?status=&service=&severity=&since=&before=&limit=}: {@code status}
   * is one status, a comma-separated list, or {@code open} for every unresolved one; {@code before}
   * pages by opening time.
   */
  void incidents(Context ctx) {
    long now = clock.millis();
    String since = ctx.queryParam("since");
    String before = ctx.queryParam("before");
    IncidentFilter filter =
        new IncidentFilter(
            statuses(ctx.queryParam("status")),
            ctx.queryParam("service"),
            severity(ctx.queryParam("severity")),
            since == null ? null : QueryTime.parse("since", since, now),
            before == null ? null : QueryTime.parse("before", before, now));
    int limit = QueryTime.limit(ctx.queryParam("limit"), 100, MAX_LIMIT);
    List<IncidentSummary> found =
        incidents.list(filter, limit).stream().map(IncidentSummary::of).toList();
    var totals = incidents.totals();
    ctx.json(
        Map.of(
            "count", found.size(),
            "incidents", found,
            "totals",
                Map.of(
                    "anomalies", totals.anomalies(),
                    "incidents", totals.incidents(),
                    "open", totals.open())));
  }

  /** {@code GET /api/v1/incidents/{id}}: the incident, its timeline and its workflow state. */
  void incident(Context ctx) {
    String id = ctx.pathParam("id");
    Incident incident =
        incidents
            .find(id)
            .orElseThrow(() -> new NotFoundResponse("no incident with id '" + id + "'"));
    CaseState state = workflow.apply(id).orElse(null);
    // What the analysis drew on, so the list and the analysis agree; a live search before it.
    List<Precedent> precedents =
        state != null && state.analysis() != null && !state.analysis().precedents().isEmpty()
            ? state.analysis().precedents()
            : similar.apply(incident);
    ctx.json(
        IncidentDetail.of(
            incident,
            incidents.timeline(id, 1000),
            state,
            precedents.stream().map(SimilarIncident::of).toList()));
  }

  private static Set<IncidentStatus> statuses(String text) {
    if (text == null || text.isBlank()) {
      return Set.of();
    }
    if (text.strip().equalsIgnoreCase("open")) {
      return EnumSet.complementOf(EnumSet.of(IncidentStatus.RESOLVED));
    }
    Set<IncidentStatus> statuses = EnumSet.noneOf(IncidentStatus.class);
    for (String part : text.split(",")) {
      try {
        statuses.add(IncidentStatus.fromCode(part));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            "query parameter 'status' must be 'open' or any of "
                + List.of(IncidentStatus.values()).toString().toLowerCase(Locale.ROOT)
                + "; got '"
                + part
                + "'");
      }
    }
    return statuses;
  }

  private static Severity severity(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Severity.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "query parameter 'severity' must be one of low, medium, high, critical; got '"
              + text
              + "'");
    }
  }
}
