package dev.sentinel.incident;

import static dev.sentinel.incident.CorrelatorTest.anomaly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.EmbeddingException;
import dev.sentinel.memory.InMemoryIncidentMemory;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import dev.sentinel.memory.WordEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SemanticDedupTest {

  private static final long T0 = 1_760_000_000_000L;

  private final List<String> events = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final InMemoryIncidentStore store = new InMemoryIncidentStore();
  private final InMemoryIncidentMemory memory = new InMemoryIncidentMemory(384);

  /** Threshold 0.85: with the word embedder, "latency above range" in two services is ~0.89. */
  private Correlator correlator(Embedder embedder) {
    SemanticDedup dedup =
        new SemanticDedup(new DedupConfig(true, 0.85, 600, 5), embedder, memory, store);
    return new Correlator(
        new CorrelationConfig(List.of("service"), 60, 120, 50),
        store,
        () -> "inc-" + ids.incrementAndGet(),
        new IncidentListener() {
          @Override
          public void opened(Incident incident, Anomaly first) {
            events.add("opened " + incident.id() + " " + incident.service());
          }

          @Override
          public void attached(Incident incident, Anomaly anomaly, boolean newSeries) {
            events.add("attached " + incident.id() + " " + anomaly.series().label("service"));
          }

          @Override
          public void deduplicated(
              Incident incident, Anomaly anomaly, String groupKey, double similarity, String text) {
            events.add(
                String.format(
                    Locale.ROOT,
                    "deduplicated %s into %s at %.2f",
                    groupKey,
                    incident.id(),
                    similarity));
          }
        },
        java.util.Optional.of(dedup));
  }

  @Test
  void a_new_group_that_reads_like_an_open_incident_joins_it() {
    Correlator correlator = correlator(new WordEmbedder());
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 10_000, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 20_000, 4));

    assertThat(events)
        .containsExactly(
            "opened inc-1 api",
            "deduplicated {service=db} into inc-1 at 0.89",
            "attached inc-1 db",
            "attached inc-1 db");
    assertThat(store.totals().incidents()).isEqualTo(1);
    assertThat(store.find("inc-1").orElseThrow().anomalyCount()).isEqualTo(3);
  }

  @Test
  void a_different_problem_opens_its_own_incident() {
    Correlator correlator = correlator(new WordEmbedder());
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("error_rate", "db", T0 + 10_000, 4));

    assertThat(events).containsExactly("opened inc-1 api", "opened inc-2 db");
  }

  @Test
  void an_opened_incident_is_remembered_under_its_id() {
    correlator(new WordEmbedder()).accept(anomaly("latency_p99_ms", "api", T0, 4));

    List<MemoryHit> hits =
        memory.search(
            MemoryQuery.of(
                new WordEmbedder().embed("service api latency"), 5, MemoryKind.INCIDENT));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).id()).isEqualTo("incident:inc-1");
    assertThat(hits.get(0).payload())
        .containsEntry("incidentId", "inc-1")
        .containsEntry("service", "api");
    assertThat(hits.get(0).text())
        .isEqualTo("service api: latency p99 ms above its expected range.");
  }

  @Test
  void a_resolved_incident_takes_no_new_group() {
    Correlator correlator = correlator(new WordEmbedder());
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    store.transition("inc-1", IncidentStatus.RESOLVED, T0 + 5_000, "fixed");
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 10_000, 4));

    assertThat(events).containsExactly("opened inc-1 api", "opened inc-2 db");
  }

  @Test
  void an_incident_quiet_for_longer_than_the_window_takes_no_new_group() {
    Correlator correlator = correlator(new WordEmbedder());
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 601_000, 4));

    assertThat(events).containsExactly("opened inc-1 api", "opened inc-2 db");
  }

  @Test
  void a_group_with_its_own_open_incident_keeps_it() {
    Correlator correlator = correlator(new WordEmbedder());
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("error_rate", "db", T0 + 1_000, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 2_000, 4));

    assertThat(events).containsExactly("opened inc-1 api", "opened inc-2 db", "attached inc-2 db");
  }

  @Test
  void a_failing_embedder_never_loses_an_anomaly() {
    Embedder broken =
        new Embedder() {
          @Override
          public float[] embed(String text) {
            throw new EmbeddingException("model gone");
          }

          @Override
          public int dimensions() {
            return 384;
          }

          @Override
          public String model() {
            return "broken";
          }
        };
    Correlator correlator = correlator(broken);
    correlator.accept(anomaly("latency_p99_ms", "api", T0, 4));
    correlator.accept(anomaly("latency_p99_ms", "db", T0 + 10_000, 4));

    assertThat(events).containsExactly("opened inc-1 api", "opened inc-2 db");
    assertThat(store.totals().anomalies()).isEqualTo(2);
  }
}
