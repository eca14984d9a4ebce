package dev.sentinel.app.http;

import dev.sentinel.history.Baseline;
import dev.sentinel.history.Bucket;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TelemetryStoreException;
import dev.sentinel.history.TimeRange;
import dev.sentinel.history.Trend;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.ServiceUnavailableResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A series' history from the telemetry store. {@code GET /api/v1/series/history?series=&since=
 * &until=&step=}: per-step count, mean, min and max, with percentiles and the trend over the range.
 * {@code GET /api/v1/series/baseline?series=&at=&value=&direction=}: what the series usually does
 * at that weekday and time, and whether {@code value} (by default the latest) is usual for it —
 * "is this spike normal for Monday 09:00?".
 */
final class HistoryEndpoints {

  private static final int BASELINE_WEEKS = 4;

  private final TelemetryStore store;
  private final SeriesRegistry registry;
  private final LatestValues latest;
  private final Clock clock;

  /** @param store the telemetry store, or null when none is configured (the endpoints say 503) */
  HistoryEndpoints(TelemetryStore store, SeriesRegistry registry, LatestValues latest, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.latest = latest;
    this.clock = clock;
  }

  record BucketView(long t, long count, double mean, double min, double max) {
    static BucketView of(Bucket bucket) {
      return new BucketView(
          bucket.startMillis(), bucket.count(), bucket.mean(), bucket.min(), bucket.max());
    }
  }

  void history(Context ctx) {
    TelemetryStore telemetry = requireStore();
    SeriesKey series = series(ctx);
    long now = clock.millis();
    String since = ctx.queryParam("since");
    String until = ctx.queryParam("until");
    long from = since == null ? now - 3_600_000L : QueryTime.parse("since", since, now);
    long to = until == null ? now + 1 : QueryTime.parse("until", until, now);
    if (from >= to) {
      throw new BadRequestException("'since' must be before 'until'");
    }
    Duration step = step(ctx.queryParam("step"));
    TimeRange range = new TimeRange(from, to);
    try {
      List<BucketView> buckets =
          telemetry.aggregate(series, range, step).stream().map(BucketView::of).toList();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("series", series.text());
      body.put("from", from);
      body.put("to", to);
      body.put("stepSeconds", step.toSeconds());
      body.put("buckets", buckets);
      body.put("percentiles", telemetry.percentiles(series, range).orElse(null));
      body.put("trend", telemetry.trend(series, range).map(HistoryEndpoints::view).orElse(null));
      ctx.json(body);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    } catch (TelemetryStoreException e) {
      throw new ServiceUnavailableResponse("the telemetry store could not answer: " + e.getMessage());
    }
  }

  /** At most this many points by default: a chart's worth. */
  private static final int DEFAULT_POINTS = 500;

  /**
   * {@code GET /api/v1/series/{key}/points?from=&to=&step=}: the series' points downsampled to one
   * per step (the mean, with the min, max and count behind it), oldest first, for a chart of an
   * incident's metrics. {@code key} is the series' text, URL-encoded; {@code from} and {@code to}
   * take epoch milliseconds, RFC 3339 or a look-back; without {@code step} the range is cut into
   * at most 500 steps of whole seconds.
   */
  void points(Context ctx) {
    TelemetryStore telemetry = requireStore();
    SeriesKey series = series(ctx.pathParam("key"), "path segment {key}");
    long now = clock.millis();
    String fromText = ctx.queryParam("from");
    String toText = ctx.queryParam("to");
    long to = toText == null ? now + 1 : QueryTime.parse("to", toText, now);
    long from = fromText == null ? to - 3_600_000L : QueryTime.parse("from", fromText, now);
    if (from >= to) {
      throw new BadRequestException("'from' must be before 'to'");
    }
    String stepText = ctx.queryParam("step");
    Duration step =
        stepText == null
            ? Duration.ofSeconds(Math.max(1, (to - from + DEFAULT_POINTS * 1000L - 1) / (DEFAULT_POINTS * 1000L)))
            : step(stepText);
    try {
      List<Map<String, Object>> points =
          telemetry.aggregate(series, new TimeRange(from, to), step).stream()
              .map(
                  bucket -> {
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("t", bucket.startMillis());
                    point.put("value", bucket.mean());
                    point.put("min", bucket.min());
                    point.put("max", bucket.max());
                    point.put("count", bucket.count());
                    return point;
                  })
              .toList();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("series", series.text());
      body.put("from", from);
      body.put("to", to);
      body.put("stepSeconds", step.toSeconds());
      body.put("points", points);
      ctx.json(body);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    } catch (TelemetryStoreException e) {
      throw new ServiceUnavailableResponse("the telemetry store could not answer: " + e.getMessage());
    }
  }

  void baseline(Context ctx) {
    TelemetryStore telemetry = requireStore();
    SeriesKey series = series(ctx);
    long now = clock.millis();
    String atText = ctx.queryParam("at");
    long at = atText == null ? now : QueryTime.parse("at", atText, now);
    double value = value(ctx.queryParam("value"), series);
    String direction = ctx.queryParamAsClass("direction", String.class).getOrDefault("up");
    if (!direction.equals("up") && !direction.equals("down")) {
      throw new BadRequestException("query parameter 'direction' must be up or down, got '" + direction + "'");
    }
    HistoricalContext.Judgement judgement =
        HistoricalContext.of(telemetry, BASELINE_WEEKS).judge(series, at, value, direction.equals("up"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("series", series.text());
    body.put("at", at);
    body.put("value", value);
    switch (judgement) {
      case HistoricalContext.Judgement.Usual usual -> {
        body.put("verdict", "usual");
        body.put("baseline", view(usual.baseline()));
      }
      case HistoricalContext.Judgement.Unusual unusual -> {
        body.put("verdict", "unusual");
        body.put("baseline", view(unusual.baseline()));
      }
      case HistoricalContext.Judgement.NotEnoughHistory ignored -> body.put("verdict", "not_enough_history");
      case HistoricalContext.Judgement.Unavailable unavailable ->
          throw new ServiceUnavailableResponse(unavailable.text());
    }
    body.put("text", judgement.text());
    ctx.json(body);
  }

  private TelemetryStore requireStore() {
    if (store == null) {
      throw new ServiceUnavailableResponse(
          "no telemetry store is configured (telemetry.store: none), so there is no history");
    }
    return store;
  }

  /** The series named by {@code series}: its full text, as {@code /api/v1/series} lists it. */
  private SeriesKey series(Context ctx) {
    return series(ctx.queryParam("series"), "query parameter 'series'");
  }

  private SeriesKey series(String text, String where) {
    if (text == null || text.isBlank()) {
      throw new BadRequestException(
          where + " is required: the series' full text, e.g."
              + " error_rate{service=\"checkout\"} (see /api/v1/series)");
    }
    int id = registry.find(text.strip());
    if (id >= 0) {
      return registry.key(id);
    }
    try {
      return store.series().stream()
          .filter(key -> key.text().equals(text.strip()))
          .findFirst()
          .orElseThrow(() -> new NotFoundResponse("no series '" + text.strip() + "' is known"));
    } catch (TelemetryStoreException e) {
      throw new ServiceUnavailableResponse("the telemetry store could not answer: " + e.getMessage());
    }
  }

  private double value(String text, SeriesKey series) {
    if (text == null) {
      int id = registry.find(series.text());
      if (id < 0 || latest.time(id) == 0) {
        throw new BadRequestException(
            "query parameter 'value' is required: Sentinel has no latest value of " + series);
      }
      return latest.value(id);
    }
    try {
      double value = Double.parseDouble(text.strip());
      if (!Double.isFinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadRequestException("query parameter 'value' must be a finite number, got '" + text + "'");
    }
  }

  private static Duration step(String text) {
    if (text == null) {
      return Duration.ofMinutes(1);
    }
    long millis = QueryTime.parse("step", text, 0);
    if (millis >= 0) {
      throw new BadRequestException(
          "query parameter 'step' must be a duration like 10s, 1m, 1h; got '" + text + "'");
    }
    Duration step = Duration.ofMillis(-millis);
    if (step.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new BadRequestException("query parameter 'step' must be at least 1s, got '" + text + "'");
    }
    return step;
  }

  private static Map<String, Object> view(Baseline baseline) {
    return Map.of(
        "count", baseline.count(),
        "mean", baseline.mean(),
        "p50", baseline.p50(),
        "p95", baseline.p95(),
        "p99", baseline.p99());
  }

  private static Map<String, Object> view(Trend trend) {
    return Map.of(
        "count", trend.count(),
        "slopePerHour", trend.slopePerHour(),
        "direction",
        trend.slopePerHour() > 0 ? "rising" : trend.slopePerHour() < 0 ? "falling" : "flat");
  }
}
