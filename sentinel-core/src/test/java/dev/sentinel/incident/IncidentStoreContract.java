package dev.sentinel.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.ingest.SeriesKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link IncidentStore} must have; adapters' tests extend this. */
public abstract class IncidentStoreContract {

  private static final long T0 = 1_760_000_000_000L;
  private static final Map<String, String> API = Map.of("service", "api");

  private final AtomicInteger ids = new AtomicInteger();
  private IncidentStore store;

  /** A new, empty store. */
  protected abstract IncidentStore store();

  @BeforeEach
  void fresh() {
    store = store();
  }

  private static Anomaly anomaly(String metric, long at, double score) {
    return new Anomaly(
        SeriesKey.of(metric, Map.of("service", "api")),
        at,
        150,
        10,
        20,
        score,
        0.8,
        Direction.UP,
        Set.of(DetectorKind.ZSCORE, DetectorKind.SEASONAL));
  }

  private Attachment attach(String metric, long at, double score) {
    return store.attach(
        "{service=api}",
        API,
        anomaly(metric, at, score),
        60_000,
        5,
        () -> "inc-" + ids.incrementAndGet());
  }

  @Test
  void the_first_anomaly_opens_an_incident_with_its_facts() {
    Attachment first = attach("error_rate", T0, 4);
    assertThat(first.outcome()).isEqualTo(Attachment.Outcome.OPENED);
    Incident incident = store.find(first.incident().id()).orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(incident.groupLabels()).isEqualTo(API);
    assertThat(incident.openedAtMillis()).isEqualTo(T0);
    assertThat(incident.anomalyCount()).isEqualTo(1);
    assertThat(incident.series()).containsExactly("error_rate{service=\"api\"}");
    Anomaly kept = incident.anomalies().getFirst();
    assertThat(kept.series()).isEqualTo(SeriesKey.of("error_rate", API));
    assertThat(kept.detectors())
        .containsExactlyInAnyOrder(DetectorKind.ZSCORE, DetectorKind.SEASONAL);
    assertThat(kept.expectedHigh()).isEqualTo(20);
  }

  @Test
  void later_anomalies_join_the_open_incident_and_update_its_figures() {
    String id = attach("error_rate", T0, 4).incident().id();
    Attachment second = attach("latency_p99_ms", T0 + 5000, 9);
    assertThat(second.outcome()).isEqualTo(Attachment.Outcome.ATTACHED);
    assertThat(second.newSeries()).isTrue();
    assertThat(attach("latency_p99_ms", T0 + 6000, 2).newSeries()).isFalse();
    for (int i = 0; i < 5; i++) {
      attach("error_rate", T0 + 7000 + i, 3);
    }
    Incident incident = store.find(id).orElseThrow();
    assertThat(incident.anomalyCount()).isEqualTo(8);
    assertThat(incident.anomalies()).hasSize(5);
    assertThat(incident.lastAnomalyAtMillis()).isEqualTo(T0 + 7004);
    assertThat(incident.maxScore()).isEqualTo(9);
    assertThat(incident.series()).hasSize(2);
    assertThat(store.totals()).isEqualTo(new IncidentStore.Totals(8, 1, 1));
  }

  @Test
  void a_resolved_incident_reopens_within_the_window_and_not_after() {
    String id = attach("error_rate", T0, 4).incident().id();
    Incident resolved = store.transition(id, IncidentStatus.RESOLVED, T0 + 1000, "restarted api");
    assertThat(resolved.resolution()).isEqualTo("restarted api");
    assertThat(resolved.resolvedAtMillis()).isEqualTo(T0 + 1000);

    Attachment again = attach("error_rate", T0 + 30_000, 4);
    assertThat(again.outcome()).isEqualTo(Attachment.Outcome.REOPENED);
    assertThat(again.incident().id()).isEqualTo(id);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);

    store.transition(id, IncidentStatus.RESOLVED, T0 + 40_000, "restarted api");
    Attachment later = attach("error_rate", T0 + 200_000, 4);
    assertThat(later.outcome()).isEqualTo(Attachment.Outcome.OPENED);
    assertThat(later.incident().id()).isNotEqualTo(id);
  }

  @Test
  void another_symptom_soon_after_resolution_is_a_new_fault_not_a_flap() {
    String id = attach("error_rate", T0, 4).incident().id();
    store.transition(id, IncidentStatus.RESOLVED, T0 + 1000, "restarted api");
    Attachment other = attach("latency_p99_ms", T0 + 30_000, 4);
    assertThat(other.outcome()).isEqualTo(Attachment.Outcome.OPENED);
    assertThat(other.incident().id()).isNotEqualTo(id);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
  }

  @Test
  void transitions_follow_the_lifecycle() {
    String id = attach("error_rate", T0, 4).incident().id();
    store.transition(id, IncidentStatus.AWAITING_APPROVAL, T0 + 1, null);
    store.transition(id, IncidentStatus.REMEDIATING, T0 + 2, null);
    assertThatThrownBy(() -> store.transition(id, IncidentStatus.OPEN, T0 + 3, null))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.REMEDIATING);
    assertThatThrownBy(() -> store.transition("nope", IncidentStatus.RESOLVED, T0, "x"))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void list_filters_and_orders_newest_first() {
    String first = attach("error_rate", T0, 4).incident().id();
    store.transition(first, IncidentStatus.RESOLVED, T0 + 1, "done");
    String second =
        store
            .attach(
                "{service=db}",
                Map.of("service", "db"),
                anomaly("cpu", T0 + 500_000, 15),
                60_000,
                5,
                () -> "inc-" + ids.incrementAndGet())
            .incident()
            .id();
    assertThat(store.list(IncidentFilter.all(), 10))
        .extracting(Incident::id)
        .containsExactly(second, first);
    assertThat(store.list(IncidentFilter.open(), 10))
        .extracting(Incident::id)
        .containsExactly(second);
    assertThat(
            store.list(
                new IncidentFilter(EnumSet.of(IncidentStatus.RESOLVED), null, null, null, null),
                10))
        .extracting(Incident::id)
        .containsExactly(first);
    assertThat(store.list(new IncidentFilter(null, "db", null, null, null), 10)).hasSize(1);
    assertThat(store.list(new IncidentFilter(null, null, null, T0 + 400_000L, null), 10))
        .extracting(Incident::id)
        .containsExactly(second);
    assertThat(store.list(new IncidentFilter(null, null, null, null, T0 + 400_000L), 10))
        .extracting(Incident::id)
        .containsExactly(first);
    assertThat(store.list(IncidentFilter.all(), 1)).hasSize(1);
  }

  @Test
  void the_timeline_keeps_events_in_order() {
    String id = attach("error_rate", T0, 4).incident().id();
    store.record(new TimelineEvent(id, T0, "opened", "sentinel", "opened", Map.of()));
    store.record(
        new TimelineEvent(id, T0 + 1, "approval", "alice", "approved", Map.of("why", "go")));
    List<TimelineEvent> timeline = store.timeline(id, 10);
    assertThat(timeline).extracting(TimelineEvent::kind).containsExactly("opened", "approval");
    assertThat(timeline.get(1).details()).containsEntry("why", "go");
    assertThat(timeline.get(1).actor()).isEqualTo("alice");
    assertThat(store.timeline(id, 1)).hasSize(1);
  }

  @Test
  void concurrent_anomalies_of_one_group_open_one_incident() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Attachment>> results =
          java.util.stream.IntStream.range(0, 40)
              .mapToObj(i -> pool.submit(() -> attach("error_rate", T0 + i, 4)))
              .toList();
      for (Future<Attachment> result : results) {
        result.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(store.list(IncidentFilter.all(), 10)).hasSize(1);
    assertThat(store.list(IncidentFilter.all(), 10).getFirst().anomalyCount()).isEqualTo(40);
  }
}
