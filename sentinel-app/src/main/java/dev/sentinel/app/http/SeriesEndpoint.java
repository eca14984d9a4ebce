package dev.sentinel.app.http;

import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/series?match=&limit=}: the series Sentinel has received, with the latest value
 * and time of each. {@code match} selects by metric name or any part of the series' text ({@code
 * name{label="v"}}), as in {@code /api/v1/anomalies}.
 */
final class SeriesEndpoint {

  private static final int MAX_LIMIT = 10_000;

  private final SeriesRegistry registry;
  private final LatestValues latest;

  SeriesEndpoint(SeriesRegistry registry, LatestValues latest) {
    this.registry = registry;
    this.latest = latest;
  }

  /** A series as the API shows it. */
  record SeriesView(
      String series, String name, Map<String, String> labels, Double value, Long timestamp) {}

  void list(io.javalin.http.Context ctx) {
    String match = ctx.queryParam("match");
    int limit = QueryTime.limit(ctx.queryParam("limit"), 100, MAX_LIMIT);
    int size = registry.size();
    List<SeriesView> found = new ArrayList<>();
    int matched = 0;
    for (int id = 0; id < size; id++) {
      SeriesKey key = registry.key(id);
      if (match != null
          && !match.isBlank()
          && !key.name().equals(match)
          && !key.text().contains(match)) {
        continue;
      }
      matched++;
      if (found.size() < limit) {
        long time = latest.time(id);
        found.add(
            new SeriesView(
                key.text(),
                key.name(),
                new LinkedHashMap<>(key.labels()),
                time == 0 ? null : latest.value(id),
                time == 0 ? null : time));
      }
    }
    ctx.json(Map.of("count", found.size(), "matched", matched, "series", found));
  }
}
