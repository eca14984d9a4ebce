package dev.sentinel.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.memory.InMemoryIncidentMemory;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import dev.sentinel.memory.WordEmbedder;
import dev.sentinel.verify.Recovery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RememberingLessonBookTest {

  private final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  private final InMemoryIncidentMemory memory = new InMemoryIncidentMemory(384);
  private final InMemoryLessonBook kept = new InMemoryLessonBook();
  private final WordEmbedder embedder = new WordEmbedder();
  private final RememberingLessonBook lessons =
      new RememberingLessonBook(kept, incidents, embedder, memory);

  private String openIncident() {
    Anomaly anomaly =
        new Anomaly(
            SeriesKey.of("memory_used_bytes", Map.of("service", "checkout")),
            1_000,
            900,
            100,
            200,
            6,
            0.9,
            Direction.UP,
            Set.of(DetectorKind.ZSCORE));
    return incidents
        .attach("{service=checkout}", Map.of("service", "checkout"), anomaly, 0, 10, () -> "inc-7")
        .incident()
        .id();
  }

  @Test
  void a_lesson_is_kept_and_remembered_as_a_resolution_of_its_incident() {
    String id = openIncident();
    lessons.record(new Lesson(id, "memory-leak", "checkout", "restart", Recovery.RECOVERED, 5_000));

    assertThat(lessons.netSuccesses("memory-leak", "restart")).isEqualTo(1);
    List<MemoryHit> hits =
        memory.search(
            MemoryQuery.of(
                embedder.embed("service checkout: memory used bytes above"),
                5,
                MemoryKind.RESOLUTION));
    assertThat(hits).hasSize(1);
    MemoryHit hit = hits.getFirst();
    assertThat(hit.id()).isEqualTo("resolution:inc-7:restart");
    assertThat(hit.payload())
        .containsEntry("incidentId", "inc-7")
        .containsEntry("cause", "memory-leak")
        .containsEntry("operation", "restart")
        .containsEntry("outcome", "recovered")
        .containsEntry("service", "checkout");
    assertThat(hit.text())
        .isEqualTo(
            "service checkout: memory used bytes above its expected range. Root cause: memory-leak."
                + " Action: restart (recovered).");
  }

  @Test
  void recording_the_same_step_again_replaces_its_resolution() {
    String id = openIncident();
    lessons.record(new Lesson(id, "memory-leak", "checkout", "restart", Recovery.UNCHANGED, 5_000));
    lessons.record(new Lesson(id, "memory-leak", "checkout", "restart", Recovery.RECOVERED, 6_000));
    assertThat(memory.count()).isEqualTo(1);
  }
}
