package dev.sentinel.app.http;

import dev.sentinel.app.http.Views.AnomalyView;
import dev.sentinel.app.http.Views.IncidentDetail;
import dev.sentinel.app.http.Views.IncidentSummary;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** The read side of the API: anomalies and incidents. */
final class QueryEndpoints {

  private static final int MAX_LIMIT = 10_000;

  private final AnomalyLog anomalies;
  private final Correlator incidents;
  private final Clock clock;

  QueryEndpoints(AnomalyLog anomalies, Correlator incidents, Clock clock) {
    this.anomalies = anomalies;
    this.incidents = incidents;
    this.clock = clock;
  }

  /**
   * {@code GET /api/v1/anomalies?since=&series=&limit=}: {@code series} matches a series' full
   * text ({@code name{label="v"}}), its metric name, or any part of its text.
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
                anomaly.series().name().equals(series)
                    || anomaly.series().text().contains(series);
    List<AnomalyView> found =
        anomalies.recent(sinceMillis, filter, limit).stream().map(AnomalyView::of).toList();
    ctx.json(Map.of("count", found.size(), "anomalies", found));
  }

  /** {@code GET /api/v1/incidents?status=&service=&severity=&since=&limit=}. */
  void incidents(Context ctx) {
    long now = clock.millis();
    Predicate<Incident> filter = incident -> true;
    String status = ctx.queryParam("status");
    if (status != null) {
      IncidentStatus wanted = parseStatus(status);
      filter = filter.and(incident -> incident.status() == wanted);
    }
    String service = ctx.queryParam("service");
    if (service != null) {
      filter = filter.and(incident -> service.equals(incident.service()));
    }
    String severity = ctx.queryParam("severity");
    if (severity != null) {
      String wanted = severity.toUpperCase(Locale.ROOT);
      filter = filter.and(incident -> incident.severity().name().equals(wanted));
    }
    String since = ctx.queryParam("since");
    if (since != null) {
      long sinceMillis = QueryTime.parse("since", since, now);
      filter = filter.and(incident -> incident.lastAnomalyAtMillis() >= sinceMillis);
    }
    int limit = QueryTime.limit(ctx.queryParam("limit"), 100, MAX_LIMIT);
    List<IncidentSummary> found =
        incidents.list(filter, limit).stream().map(IncidentSummary::of).toList();
    ctx.json(
        Map.of(
            "count",
            found.size(),
            "incidents",
            found,
            "totals",
            Map.of(
                "anomalies", incidents.anomaliesSeen(),
                "incidents", incidents.incidentsOpened(),
                "open", incidents.openCount())));
  }

  /** {@code GET /api/v1/incidents/{id}}. */
  void incident(Context ctx) {
    String id = ctx.pathParam("id");
    Incident incident =
        incidents
            .find(id)
            .orElseThrow(() -> new NotFoundResponse("no incident with id '" + id + "'"));
    ctx.json(IncidentDetail.of(incident));
  }

  private static IncidentStatus parseStatus(String text) {
    try {
      return IncidentStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "query parameter 'status' must be one of "
              + List.of(IncidentStatus.values()).toString().toLowerCase(Locale.ROOT)
              + "; got '"
              + text
              + "'");
    }
  }
}
