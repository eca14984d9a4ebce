package dev.sentinel.llm;

import static dev.sentinel.llm.Fixtures.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.history.Bucket;
import dev.sentinel.history.TimeRange;
import dev.sentinel.history.UnsupportedTelemetryStore;
import dev.sentinel.ingest.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolboxTest {

  /** Answers every aggregate with one bucket per step and remembers the ranges asked for. */
  private static final class BucketStore extends UnsupportedTelemetryStore {
    final List<TimeRange> ranges = new ArrayList<>();

    @Override
    public List<Bucket> aggregate(SeriesKey series, TimeRange range, Duration step) {
      ranges.add(range);
      List<Bucket> buckets = new ArrayList<>();
      for (long at = range.fromMillis(); at < range.toMillis(); at += step.toMillis()) {
        buckets.add(new Bucket(at, 10, 5e8, 4e8, 6e8));
      }
      return buckets;
    }
  }

  private final BucketStore store = new BucketStore();
  private final Toolbox toolbox =
      new Toolbox(java.util.Optional.of(store), Fixtures.history(), Knowledge.defaults());
  private final CaseFile file = Fixtures.leak("inc-tools");

  private String call(String name, String arguments) {
    return toolbox.execute(
        file, ToolExecutionRequest.builder().id("1").name(name).arguments(arguments).build());
  }

  @Test
  void incident_series_are_listed_in_the_order_they_moved() {
    String answer = call("incident_series", "{}");
    assertThat(answer.indexOf("memory_bytes")).isLessThan(answer.indexOf("http_latency_ms"));
    assertThat(answer).contains("3 anomalous point(s)");
  }

  @Test
  void history_is_bounded_to_six_hours_before_the_last_anomaly() {
    String answer = call("series_history", Fixtures.json("series", MEMORY.text()) + "");
    assertThat(answer).contains("mean=5.000e+08");

    call(
        "series_history",
        "{\"series\": " + Fixtures.JSON.valueToTree(MEMORY.text()) + ", \"minutes\": 100000}");
    TimeRange widest = store.ranges.getLast();
    assertThat(widest.lengthMillis()).isEqualTo(Duration.ofHours(6).toMillis());
    assertThat(widest.toMillis()).isEqualTo(Fixtures.OPENED + 120_001);
  }

  @Test
  void only_the_incident_series_can_be_queried_and_bad_calls_get_an_error_text() {
    assertThat(call("series_history", Fixtures.json("series", "secrets_total")))
        .startsWith("error: not a series of this incident");
    assertThat(call("series_baseline", "{not json")).startsWith("error:");
    assertThat(call("run_shell", "{}")).isEqualTo("error: no tool named run_shell");
    assertThat(store.ranges).isEmpty();
  }

  @Test
  void recent_changes_come_from_the_target_state_and_memory_is_empty_by_default() {
    CaseFile changed =
        new CaseFile(
            file.incident(),
            file.anomalies(),
            java.util.Map.of(
                "version",
                "1.5.0",
                "previousVersion",
                "1.4.2",
                "changedAtMillis",
                Long.toString(Fixtures.OPENED - 60_000)),
            List.of());
    String answer =
        toolbox.execute(
            changed,
            ToolExecutionRequest.builder().id("1").name("recent_changes").arguments("{}").build());
    assertThat(answer).isEqualTo("version changed to 1.5.0 from 1.4.2 at 2026-11-23T08:59:00Z");
    assertThat(call("similar_incidents", "{}")).isEqualTo("none known");
    assertThat(call("runbook", Fixtures.json("query", "memory leak"))).isEqualTo("none known");
  }
}
