package dev.sentinel.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.Direction;
import dev.sentinel.history.Bucket;
import dev.sentinel.history.HistoricalContext;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TimeRange;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The agent's tools: read-only, bounded queries about one incident. A tool only reaches the series
 * of the incident's own anomalies, so the model cannot make Sentinel scan the store; every answer
 * is cut to {@link #MAX_RESULT_CHARS}.
 */
public final class Toolbox {

  static final int MAX_RESULT_CHARS = 4_000;
  private static final int MAX_ITEMS = 5;
  private static final int MAX_HISTORY_MINUTES = 360;
  private static final Duration STEP = Duration.ofMinutes(5);

  private final ObjectMapper json = new ObjectMapper();
  private final Optional<TelemetryStore> store;
  private final HistoricalContext history;
  private final Knowledge knowledge;

  /**
   * @param store the telemetry store, empty when none is configured
   */
  public Toolbox(Optional<TelemetryStore> store, HistoricalContext history, Knowledge knowledge) {
    this.store = store;
    this.history = history;
    this.knowledge = knowledge;
  }

  public List<ToolSpecification> specifications() {
    JsonObjectSchema none = JsonObjectSchema.builder().build();
    JsonObjectSchema series =
        JsonObjectSchema.builder()
            .addStringProperty("series", "a series exactly as incident_series lists it")
            .required("series")
            .build();
    return List.of(
        tool("incident_series", "The incident's anomalous series, in the order they moved.", none),
        tool(
            "series_history",
            "5-minute mean/min/max of one incident series before and during the incident.",
            JsonObjectSchema.builder()
                .addStringProperty("series", "a series exactly as incident_series lists it")
                .addIntegerProperty("minutes", "how far back, at most 360")
                .required("series")
                .build()),
        tool("series_baseline", "Whether the series' worst value is usual for this time.", series),
        tool("target_state", "The affected service's current state from its executor.", none),
        tool("recent_changes", "Recent deployments and changes of the affected service.", none),
        tool("similar_incidents", "Similar past incidents and how they were resolved.", none),
        tool(
            "runbook",
            "Runbook sections matching a query.",
            JsonObjectSchema.builder()
                .addStringProperty("query", "what to look for")
                .required("query")
                .build()));
  }

  /**
   * Runs one tool call; a bad call gets an error text the model can correct, never an exception.
   */
  public String execute(CaseFile file, ToolExecutionRequest request) {
    String result;
    try {
      JsonNode arguments =
          request.arguments() == null || request.arguments().isBlank()
              ? json.createObjectNode()
              : json.readTree(request.arguments());
      result =
          switch (request.name()) {
            case "incident_series" -> incidentSeries(file);
            case "series_history" ->
                seriesHistory(file, text(arguments, "series"), arguments.path("minutes").asInt(60));
            case "series_baseline" -> seriesBaseline(file, text(arguments, "series"));
            case "target_state" ->
                file.targetState().isEmpty() ? "unknown" : file.targetState().toString();
            case "recent_changes" -> lines(knowledge.recentChanges().changes(file, MAX_ITEMS));
            case "similar_incidents" ->
                lines(knowledge.similarIncidents().similar(file.incident(), MAX_ITEMS));
            case "runbook" -> lines(knowledge.runbooks().sections(text(arguments, "query"), 3));
            default -> "error: no tool named " + request.name();
          };
    } catch (Exception e) {
      // The model asked for something odd or the store failed: tell it, and let it carry on.
      result = "error: " + e.getMessage();
    }
    return result.length() <= MAX_RESULT_CHARS
        ? result
        : result.substring(0, MAX_RESULT_CHARS) + " ...(cut)";
  }

  private static String incidentSeries(CaseFile file) {
    Map<String, List<Anomaly>> bySeries =
        file.anomalies().stream().collect(Collectors.groupingBy(a -> a.series().text()));
    return bySeries.values().stream()
        .sorted(Comparator.comparingLong(list -> first(list).timestampMillis()))
        .map(
            list -> {
              Anomaly first = first(list);
              Anomaly worst = list.stream().max(Comparator.comparingDouble(Anomaly::score)).get();
              return String.format(
                  Locale.ROOT,
                  "%s: %d anomalous point(s) from %d, %s, worst %.4g (expected %.4g..%.4g, score"
                      + " %.2f)",
                  first.series().text(),
                  list.size(),
                  first.timestampMillis(),
                  worst.direction() == Direction.UP ? "above range" : "below range",
                  worst.value(),
                  worst.expectedLow(),
                  worst.expectedHigh(),
                  worst.score());
            })
        .collect(Collectors.joining("\n", "moved first to last:\n", ""));
  }

  private String seriesHistory(CaseFile file, String series, int minutes) {
    Anomaly anomaly = worst(file, series);
    if (store.isEmpty()) {
      return "no telemetry store is configured";
    }
    int span = Math.max(5, Math.min(MAX_HISTORY_MINUTES, minutes));
    long to = file.anomalies().stream().mapToLong(Anomaly::timestampMillis).max().orElseThrow() + 1;
    TimeRange range = new TimeRange(Math.max(0, to - span * 60_000L), to);
    List<Bucket> buckets = store.get().aggregate(anomaly.series(), range, STEP);
    return buckets.isEmpty()
        ? "no stored points"
        : buckets.stream()
            .map(
                b ->
                    String.format(
                        Locale.ROOT,
                        "%d mean=%.4g min=%.4g max=%.4g n=%d",
                        b.startMillis(),
                        b.mean(),
                        b.min(),
                        b.max(),
                        b.count()))
            .collect(Collectors.joining("\n"));
  }

  private String seriesBaseline(CaseFile file, String series) {
    Anomaly anomaly = worst(file, series);
    return history
        .judge(
            anomaly.series(),
            anomaly.timestampMillis(),
            anomaly.value(),
            anomaly.direction() == Direction.UP)
        .text();
  }

  private static Anomaly worst(CaseFile file, String series) {
    Optional<Anomaly> worst =
        file.anomalies().stream()
            .filter(a -> a.series().text().equals(series))
            .max(Comparator.comparingDouble(Anomaly::score));
    return worst.orElseThrow(
        () -> new IllegalArgumentException("not a series of this incident: " + series));
  }

  private static Anomaly first(List<Anomaly> anomalies) {
    return anomalies.stream().min(Comparator.comparingLong(Anomaly::timestampMillis)).get();
  }

  private static String text(JsonNode arguments, String field) {
    JsonNode node = arguments.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException("missing text argument '" + field + "'");
    }
    return node.asText();
  }

  private static String lines(List<String> items) {
    return items.isEmpty() ? "none known" : String.join("\n", items);
  }

  private static ToolSpecification tool(String name, String description, JsonObjectSchema schema) {
    return ToolSpecification.builder()
        .name(name)
        .description(description)
        .parameters(schema)
        .build();
  }
}
