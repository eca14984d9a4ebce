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
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A series' history from the telemetry store. {@code GET /api/v1/series/history?series=&since=
 * &until=&step=}: per-step count, mean, min and max, with percentiles and the trend over the range.
 * {@code GET /api/v1/series/{key}/points?from=&to=&step=}: the same steps as chart points. {@code
 * GET /api/v1/series/baseline?series=&at=&value=&direction=}: what the series usually does at that
 * weekday and time, and whether {@code value} (by default the latest) is usual for it — "is this
 * spike normal for Monday 09:00?".
 */
final class HistoryEndpoints {

  private static final int BASELINE_WEEKS = 4;

  private final Optional<TelemetryStore> store;
  private final SeriesRegistry registry;
  private final LatestValues latest;
  private final Clock clock;

  /**
   * @param store the telemetry store; empty when none is configured (the endpoints say 503)
   */
  HistoryEndpoints(
      Optional<TelemetryStore> store, SeriesRegistry registry, LatestValues latest, Clock clock) {
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

  /** A point of {@code /points}: a step's mean as its value, with what lies behind it. */
  record PointView(long t, double value, double min, double max, long count) {
    static PointView of(Bucket bucket) {
      return new PointView(
          bucket.startMillis(), bucket.mean(), bucket.min(), bucket.max(), bucket.count());
    }
  }

  void history(Context ctx) {
    TelemetryStore telemetry = requireStore();
    SeriesKey series = series(ctx);
    TimeRange range = range(ctx, "since", "until");
    Duration step = step(ctx.queryParam("step"));
    Map<String, Object> body = answer(series, range, step);
    body.put(
        "buckets",
        query(
            () -> telemetry.aggregate(series, range, step).stream().map(BucketView::of).toList()));
    body.put("percentiles", query(() -> telemetry.percentiles(series, range).orElse(null)));
    body.put(
        "trend",
        query(() -> telemetry.trend(series, range).map(HistoryEndpoints::view).orElse(null)));
    ctx.json(body);
  }

  /** At most this many points by default: a chart's worth. */
  private static final long DEFAULT_POINTS = 500;

  /**
   * {@code GET /api/v1/series/{key}/points?from=&to=&step=}: the series' points downsampled to one
   * per step (the mean, with the min, max and count behind it), oldest first, for a chart of an
   * incident's metrics. {@code key} is the series' text, URL-encoded; {@code from} and {@code to}
   * take epoch milliseconds, RFC 3339 or a look-back; without {@code step} the range is cut into at
   * most 500 steps of whole seconds.
   */
  void points(Context ctx) {
    TelemetryStore telemetry = requireStore();
    SeriesKey series = series(ctx.pathParam("key"), "path segment {key}");
    TimeRange range = range(ctx, "from", "to");
    String stepText = ctx.queryParam("step");
    long span = range.toMillis() - range.fromMillis();
    Duration step =
        stepText == null
            ? Duration.ofSeconds(Math.max(1, Math.ceilDiv(span, DEFAULT_POINTS * 1000)))
            : step(stepText);
    Map<String, Object> body = answer(series, range, step);
    body.put(
        "points",
        query(() -> telemetry.aggregate(series, range, step).stream().map(PointView::of).toList()));
    ctx.json(body);
  }

  /**
   * The range two query parameters name (epoch ms, RFC 3339 or a look-back): the end defaults to
   * now, the start to an hour before the end.
   */
  private TimeRange range(Context ctx, String startName, String endName) {
    long now = clock.millis();
    String start = ctx.queryParam(startName);
    String end = ctx.queryParam(endName);
    long to = end == null ? now + 1 : QueryTime.parse(endName, end, now);
    long from = start == null ? to - 3_600_000L : QueryTime.parse(startName, start, now);
    if (from >= to) {
      throw new BadRequestException("'" + startName + "' must be before '" + endName + "'");
    }
    return new TimeRange(from, to);
  }

  /** The head of a history answer: what was asked. */
  private static Map<String, Object> answer(SeriesKey series, TimeRange range, Duration step) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("series", series.text());
    body.put("from", range.fromMillis());
    body.put("to", range.toMillis());
    body.put("stepSeconds", step.toSeconds());
    return body;
  }

  /** Asks the store: an argument it refuses is the client's 400, a store failure a 503. */
  private static <T> T query(Supplier<T> question) {
    try {
      return question.get();
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    } catch (TelemetryStoreException e) {
      throw new ServiceUnavailableResponse(
          "the telemetry store could not answer: " + e.getMessage());
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
      throw new BadRequestException(
          "query parameter 'direction' must be up or down, got '" + direction + "'");
    }
    HistoricalContext.Judgement judgement =
        HistoricalContext.of(telemetry, BASELINE_WEEKS)
            .judge(series, at, value, direction.equals("up"));
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
      case HistoricalContext.Judgement.NotEnoughHistory ignored ->
          body.put("verdict", "not_enough_history");
      case HistoricalContext.Judgement.Unavailable unavailable ->
          throw new ServiceUnavailableResponse(unavailable.text());
    }
    body.put("text", judgement.text());
    ctx.json(body);
  }

  private TelemetryStore requireStore() {
    return store.orElseThrow(
        () ->
            new ServiceUnavailableResponse(
                "no telemetry store is configured (telemetry.store: none), so there is no"
                    + " history"));
  }

  /** The series named by {@code series}: its full text, as {@code /api/v1/series} lists it. */
  private SeriesKey series(Context ctx) {
    return series(ctx.queryParam("series"), "query parameter 'series'");
  }

  private SeriesKey series(String text, String where) {
    if (text == null || text.isBlank()) {
      throw new BadRequestException(
          where
              + " is required: the series' full text, e.g."
              + " error_rate{service=\"checkout\"} (see /api/v1/series)");
    }
    int id = registry.find(text.strip());
    if (id >= 0) {
      return registry.key(id);
    }
    return query(
        () ->
            requireStore().series().stream()
                .filter(key -> key.text().equals(text.strip()))
                .findFirst()
                .orElseThrow(
                    () -> new NotFoundResponse("no series '" + text.strip() + "' is known")));
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
      throw new BadRequestException(
          "query parameter 'value' must be a finite number, got '" + text + "'");
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
      throw new BadRequestException(
          "query parameter 'step' must be at least 1s, got '" + text + "'");
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
        "count",
        trend.count(),
        "slopePerHour",
        trend.slopePerHour(),
        "direction",
        trend.slopePerHour() > 0 ? "rising" : trend.slopePerHour() < 0 ? "falling" : "flat");
  }
}
