package dev.sentinel.simulator;

import dev.sentinel.ingest.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps every emitted value, by service and metric, in emit order. */
final class RecordingSink implements MetricSink {

  private final Map<String, List<Double>> values = new HashMap<>();
  private final List<SeriesKey> keysSeen = new ArrayList<>();

  @Override
  public void accept(SeriesKey series, long timestampMillis, double value) {
    keysSeen.add(series);
    values
        .computeIfAbsent(series.label("service") + "/" + series.name(), key -> new ArrayList<>())
        .add(value);
  }

  /** All values of one service's metric, oldest first. */
  List<Double> values(String service, Metric metric) {
    return values.getOrDefault(service + "/" + metric.seriesName(), List.of());
  }

  double last(String service, Metric metric) {
    List<Double> series = values(service, metric);
    return series.get(series.size() - 1);
  }

  double mean(String service, Metric metric) {
    return values(service, metric).stream()
        .mapToDouble(Double::doubleValue)
        .average()
        .orElseThrow();
  }

  List<SeriesKey> keysSeen() {
    return keysSeen;
  }
}
